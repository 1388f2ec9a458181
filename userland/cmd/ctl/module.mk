# userland/cmd/ctl - the controller node's client: read, valve, band,
# the control program (ctl loop) and the logger (ctl log).
USER_PROGS += userland/cmd/ctl
