# kernel/net - the glue around the portable protocols (flip/, rpc/):
#   above: rpc_syscall.c (trans/getreq/putrep system calls),
#          rpc_amoeba.c (Amoeba's module/rpc.h API for kernel code),
#          grp_syscall.c, grp_amoeba.c (the group calls, group.h);
#   the stack: knet.c (the switch, the RPC node, their timer, call objects);
#   below: flip_port.c (flip/flip_port.h for the kernel),
#          knet_nic.c (NICs become FLIP networks).
KERNEL_SRCS += kernel/net/rpc_syscall.c kernel/net/rpc_amoeba.c \
	kernel/net/grp_amoeba.c kernel/net/grp_syscall.c \
	kernel/net/knet.c kernel/net/flip_port.c kernel/net/knet_nic.c
