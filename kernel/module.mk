# kernel/: machine-independent kernel and kernel/arch/i386.
KERNEL_SRCS += kernel/arch/i386/boot.S kernel/arch/i386/trapasm.S \
	kernel/arch/i386/switch.S kernel/arch/i386/desc.c \
	kernel/arch/i386/pic.c kernel/arch/i386/trap.c kernel/arch/i386/cpu.c \
	kernel/arch/i386/context.c kernel/arch/i386/vm.c \
	kernel/arch/i386/multiboot.c kernel/arch/i386/string.S
KERNEL_SRCS += kernel/main.c kernel/cmdline.c kernel/kprintf.c \
	kernel/panic.c kernel/ktest.c kernel/page.c kernel/kmalloc.c \
	kernel/thread.c kernel/syscall.c kernel/libc/string.c
KERNEL_SRCS += kernel/krandom.c kernel/seg.c kernel/proc.c kernel/exec.c \
	kernel/bootimg.c kernel/tty.c kernel/rpcsys.c \
	kernel/arch/i386/syscall_arch.c
KERNEL_SRCS += kernel/flip_port.c
KERNEL_SRCS += kernel/amcompat.c kernel/svr/ksvr.c kernel/svr/kdir.c \
	kernel/svr/small.c kernel/svr/psvr.c kernel/svr/ttysvr.c \
	kernel/svr/vdisk.c
KERNEL_SRCS += kernel/monitor.c
KERNEL_SRCS += kernel/knet_nic.c
