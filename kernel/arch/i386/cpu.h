/*
 * cpu.h - i386 descriptors, selectors and the trap frame (arch-private).
 */
#ifndef KERNEL_ARCH_I386_CPU_H
#define KERNEL_ARCH_I386_CPU_H

/* Selectors, as in Amoeba 5.3's i386 kernel. */
#define SEL_KDATA 0x08
#define SEL_KCODE 0x10
#define SEL_TSS 0x18
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2B

#define EFLAGS_IF 0x200u
#define EFLAGS_IOPL3 0x3000u

/* Vectors. */
#define T_DIVIDE 0
#define T_DEBUG 1
#define T_NMI 2
#define T_BRKPT 3
#define T_OFLOW 4
#define T_BOUND 5
#define T_ILLOP 6
#define T_DEVICE 7
#define T_DBLFLT 8
#define T_TSS 10
#define T_SEGNP 11
#define T_STACK 12
#define T_GPFLT 13
#define T_PGFLT 14
#define T_FPERR 16
#define T_ALIGN 17
#define T_MCHK 18
#define T_SIMDERR 19
#define T_IRQ0 32
#define T_SYSCALL_FIRST 50
#define T_SYSCALL_LAST 63

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/* What the trap stubs push; pusha order, then the CPU's frame. */
struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_kernel, ebx, edx, ecx, eax;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;       /* only when coming from user mode */
};

static inline int
tf_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

void trap_dispatch(struct trapframe *tf);
void tss_set_kstack(uint32_t esp0);
void tss_iomap_set(const uint8_t *map, uint32_t lo, uint32_t hi);
void pic_init(void);
void pic_eoi(int irq);
void pic_set_mask(int irq, int masked);
int pic_masked(int irq);
void pit_init(void);
/* pic_spurious: was this IRQ 7/15 spurious (then it is not handled)? */
int pic_spurious(int irq);
void arch_desc_init(void);
void syscall_trap(struct trapframe *tf);
void fpu_init(void);
void fpu_trap(void);
extern uint32_t *kernel_pgdir;		/* vm.c: the kernel's own mappings */
extern const uint32_t trap_vectors[64];	/* trapasm.S: the IDT stubs */
void arch_thread_start(void);		/* switch.S: a new thread's first run */
/* signal.c: catchers of signals and exceptions. */
bool arch_signal_fault(struct trapframe *tf, uint32_t info);
void arch_signal_pending(struct trapframe *tf);
void arch_sigreturn(struct trapframe *tf, uint32_t uaddr);
#endif /* __ASSEMBLER__ */

#endif /* KERNEL_ARCH_I386_CPU_H */
