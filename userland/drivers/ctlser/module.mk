# userland/drivers/ctlser - the controller node's serial driver (a 16550
# through its granted ports and IRQ, module/dev.h), serving the sensor
# and valve behind it to ctlsvr (userland/servers/ctlsvr/ctl.h).
USER_PROGS += userland/drivers/ctlser
