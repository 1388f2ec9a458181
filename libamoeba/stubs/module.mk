# libamoeba/stubs - client stubs over trans() (portable: kernel, host and
# user programs): the standard commands, the kernel directory.
PORTABLE_SRCS += libamoeba/stubs/std.c libamoeba/stubs/kdir.c
