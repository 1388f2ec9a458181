# kernel/libc - the string functions the kernel and portable code use.
KERNEL_SRCS += kernel/libc/string.c
