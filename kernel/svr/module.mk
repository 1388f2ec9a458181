# kernel/svr - the kernel servers: the framework (ksvr.c), the node's
# kernel directory, process/segment, sys (with devsvr.c: device grants for
# user-space drivers), random, time of day, tty, vdisk, and unicsvr.c:
# the proxy network of a NIC driven by a user process (usernic=).
KERNEL_SRCS += kernel/svr/ksvr.c kernel/svr/kdir.c kernel/svr/psvr.c kernel/svr/psckpt.c \
	kernel/svr/pssig.c \
	kernel/svr/syssvr.c kernel/svr/rndsvr.c kernel/svr/todsvr.c \
	kernel/svr/ttysvr.c kernel/svr/vdisk.c kernel/svr/devsvr.c \
	kernel/svr/unicsvr.c
