# userland/servers/ctlsvr - ctlsvr, the controller node's controller server
# (readings, valve and band by RPC with rights; ctl.h is its protocol and
# the serial driver's, userland/drivers/ctlser).
USER_PROGS += userland/servers/ctlsvr
