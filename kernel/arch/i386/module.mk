# kernel/arch/i386 - everything CPU-specific: boot entry, descriptor
# tables, traps and system-call entry, paging, context switch, PIC/PIT.
KERNEL_SRCS += kernel/arch/i386/boot.S kernel/arch/i386/trapasm.S \
	kernel/arch/i386/switch.S kernel/arch/i386/string.S \
	kernel/arch/i386/desc.c kernel/arch/i386/pic.c \
	kernel/arch/i386/trap.c kernel/arch/i386/cpu.c \
	kernel/arch/i386/context.c kernel/arch/i386/vm.c \
	kernel/arch/i386/multiboot.c kernel/arch/i386/syscall_arch.c \
	kernel/arch/i386/signal.c
