# libamoeba/stubs - client stubs over trans() (portable: kernel, host and
# user programs): the standard commands, the kernel directory, the
# virtual disk, the process server, the Bullet file server.
PORTABLE_SRCS += libamoeba/stubs/std.c libamoeba/stubs/kdir.c \
		 libamoeba/stubs/disk.c libamoeba/stubs/proc.c \
		 libamoeba/stubs/bullet.c
# SOAP directory client (user programs only; the host test
# tests/host/soap/test_sp_stubs.c builds them with a fake rpc_trans)
LIBAM_SRCS += libamoeba/stubs/capset.c libamoeba/stubs/soap.c \
	      libamoeba/stubs/sp_port.c \
	      libamoeba/stubs/sp_dir.c libamoeba/stubs/name.c
