# libamoeba/stubs - client stubs over trans() (portable: kernel, host and
# user programs): the standard commands, the kernel directory, the
# virtual disk, the process server.
PORTABLE_SRCS += libamoeba/stubs/std.c libamoeba/stubs/kdir.c \
		 libamoeba/stubs/disk.c libamoeba/stubs/proc.c
