# kernel/ - the machine-independent core: boot flow, threads and the
# scheduler, pages and the kernel heap, segments, processes and exec,
# system calls, the clock, entropy, terminals, the kernel monitor.
KERNEL_SRCS += kernel/main.c kernel/cmdline.c kernel/kprintf.c \
	kernel/panic.c kernel/page.c kernel/kmalloc.c \
	kernel/thread.c kernel/syscall.c kernel/clock.c kernel/krandom.c \
	kernel/seg.c kernel/proc.c kernel/exec.c kernel/bootimg.c \
	kernel/tty.c kernel/monitor.c kernel/fsboot.c
# local IPC with shared segments
KERNEL_SRCS += kernel/lipc.c kernel/lipc_syscall.c
