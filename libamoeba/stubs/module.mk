PORTABLE_SRCS += libamoeba/stubs/std.c
