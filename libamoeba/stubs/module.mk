PORTABLE_SRCS += libamoeba/stubs/std.c libamoeba/stubs/bullet.c
