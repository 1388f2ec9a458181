/*
 * arch.h - what machine-independent kernel code may ask of the CPU layer.
 *
 * Implemented in kernel/arch/i386/.  Nothing outside kernel/arch/ and
 * drivers/ includes x86.h.
 */
#ifndef KERNEL_ARCH_ARCH_H
#define KERNEL_ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>

struct thread;

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

/* Interrupt flag: save-and-disable, restore. */
uint32_t arch_irq_save(void);
void arch_irq_restore(uint32_t flags);
void arch_irq_enable(void);
bool arch_irqs_enabled(void);
/* arch_idle: enable interrupts and wait for one. */
void arch_idle(void);
uint32_t arch_frame_pointer(void);
uint64_t arch_cycles(void);

/* arch_init: GDT, TSS, IDT, PIC and PIT; interrupts stay disabled. */
void arch_init(void);

/*
 * IRQ lines 0-15: handler runs in interrupt context with interrupts off.
 * arch_irq_register: STD_OK, or STD_NOTNOW (no such line, or taken).
 */
typedef void (*irq_handler_t)(int irq, void *arg);
errstat arch_irq_register(int irq, irq_handler_t fn, void *arg);
void arch_irq_unmask(int irq);
void arch_irq_mask(int irq);
/* arch_irq_unregister: give the line up (masked) if fn holds it. */
void arch_irq_unregister(int irq, irq_handler_t fn);
/* arch_irq_taken: no such line, the cascade, or a handler holds it. */
bool arch_irq_taken(int irq);
/* arch_irq_masked: is the line masked at the PIC? */
bool arch_irq_masked(int irq);

/*
 * I/O permission of user processes: a process's own bitmap (struct proc
 * iomap, io_lo, io_hi; a clear bit opens a port) is loaded into the TSS
 * when one of its threads is switched in.  arch_iomap_changed: p's map
 * changed (or is gone): reload it if it is the loaded one.
 */
struct proc;
void arch_iomap_changed(struct proc *p);

/* The clock: PIT at ARCH_HZ ticks a second; milliseconds since boot. */
#define ARCH_HZ 1000
uint32_t arch_milli(void);
/* arch_micro: microseconds from the TSC (fast; for intervals). */
uint64_t arch_micro(void);
/* arch_clock_us: microseconds that keep step with arch_milli (clocks). */
uint64_t arch_clock_us(void);

/* arch_clock_tick: account one PIT tick (the clock interrupt calls it). */
void arch_clock_tick(void);
/* arch_clock_calibrate: measure the TSC against the PIT (interrupts on). */
void arch_clock_calibrate(void);

/* arch_enter_user: leave the kernel for ring 3 at eip with stack esp. */
/*
 * arch_enter_user_frame: enter ring 3 with the registers of a PD fault
 * frame (20 words, spec 8.1); selectors and privileged flags are forced
 * to user values.  Never returns.
 */
void arch_enter_user_frame(const uint32_t *ustate) __attribute__((noreturn));
/* arch_fpu_save: the current FPU state of t into t->fpu_state. */
void arch_fpu_save(struct thread *t);
void arch_enter_user(uint32_t eip, uint32_t esp, uint32_t eax)
	__attribute__((noreturn));
/* arch_trap_name: the name of a CPU exception ("page fault", ...). */
const char *arch_trap_name(int trapno);

/* Random bits from RDRAND when the CPU has it; false otherwise. */
bool arch_rdrand(uint32_t *v);

#endif /* KERNEL_ARCH_ARCH_H */
