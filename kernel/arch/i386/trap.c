/*
 * trap.c - trap dispatch: CPU exceptions, hardware interrupts and system
 * calls all arrive here from trapasm.S.
 *
 * Concurrency: entered with interrupts off (interrupt gates) or on (the
 * system-call trap gates).  An IRQ handler runs with interrupts off and
 * only acknowledges, queues and wakes threads.  The kernel is not
 * preempted: a reschedule asked for by an interrupt happens only when the
 * trap returns to user mode (or when the running kernel thread blocks).
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/proc.h"
#include "kernel/klib.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"
#include <stderr.h>


static struct {
	irq_handler_t fn;
	void *arg;
} irq_table[16];

uint32_t irq_counts[16];

static const char *const trap_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FPU error", "alignment check",
	"machine check", "SIMD FP error",
};

const char *
arch_trap_name(int trapno)
{
	if (trapno >= 0 && trapno < 32 && trap_names[trapno])
		return trap_names[trapno];
	return "unknown trap";
}

errstat
arch_irq_register(int irq, irq_handler_t fn, void *arg)
{
	if (irq < 0 || irq > 15 || irq == 2)
		return STD_NOTNOW;
	if (irq_table[irq].fn && irq_table[irq].fn != fn)
		return STD_NOTNOW; /* no sharing of ISA lines between drivers */
	irq_table[irq].fn = fn;
	irq_table[irq].arg = arg;
	return STD_OK;
}

/* arch_irq_unregister: free the line if fn holds it; it is masked. */
void
arch_irq_unregister(int irq, irq_handler_t fn)
{
	uint32_t f;

	if (irq < 0 || irq > 15 || irq_table[irq].fn != fn)
		return;
	f = arch_irq_save();
	pic_set_mask(irq, 1);
	irq_table[irq].fn = NULL;
	irq_table[irq].arg = NULL;
	arch_irq_restore(f);
}

bool
arch_irq_taken(int irq)
{
	return irq < 0 || irq > 15 || irq == 2 || irq_table[irq].fn != NULL;
}

bool
arch_irq_masked(int irq)
{
	return pic_masked(irq);
}

void
arch_irq_unmask(int irq)
{
	pic_set_mask(irq, 0);
}

void
arch_irq_mask(int irq)
{
	pic_set_mask(irq, 1);
}

static void
irq_dispatch(int irq)
{
	if ((irq == 7 || irq == 15) && pic_spurious(irq))
		return;
	irq_counts[irq]++;
	if (irq_table[irq].fn)
		irq_table[irq].fn(irq, irq_table[irq].arg);
	pic_eoi(irq);
}

static void __attribute__((noreturn))
kernel_fault(struct trapframe *tf)
{
	console_flush();
	console_sync = true;
	kprintf("\nvx: panic: %s (trap %u) in kernel at eip %p",
		arch_trap_name((int)tf->trapno), tf->trapno, (void *)tf->eip);
	if (tf->trapno == T_PGFLT)
		kprintf(" address %p", (void *)rcr2());
	kprintf(" error %x\n", tf->err);
	kprintf("eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx,
		tf->ecx, tf->edx);
	kprintf("esi %08x edi %08x ebp %08x\n", tf->esi, tf->edi, tf->ebp);
	kprintf("backtrace:\n");
	uint32_t off = 0;
	const char *fn = ksym_lookup(tf->eip, &off);
	kprintf("  #- %p %s+0x%x\n", (void *)tf->eip, fn ? fn : "?", off);
	backtrace(tf->ebp);
	arch_exit(EXIT_PANIC);
}

/*
 * On the way back to user mode: if the process is being stunned, freeze
 * here with this frame as the thread's state (PD order: cr3, then the
 * frame) until the stun ends.
 */
_Static_assert(sizeof(struct trapframe) == 19 * 4, "PD fault frame order");

static void
stun_point(struct trapframe *tf)
{
	struct thread *t = thread_current();
	uint32_t u[20];

	if (t->proc == NULL || !t->proc->stun)
		return;
	u[0] = (uint32_t)t->proc->pgdir;
	memcpy(&u[1], tf, 19 * sizeof(uint32_t));
	proc_stop_point(u);
}

void
trap_dispatch(struct trapframe *tf)
{
	uint32_t t = tf->trapno;

	if (t >= T_IRQ0 && t < T_IRQ0 + 16) {
		irq_dispatch((int)(t - T_IRQ0));
	} else if (t >= T_SYSCALL_FIRST && t <= T_SYSCALL_LAST) {
		syscall_trap(tf);
	} else if (t == T_DEVICE) {
		fpu_trap();
	} else if (tf_from_user(tf)) {
		uint32_t info = t == T_PGFLT ? rcr2() : tf->err;

		if (!arch_signal_fault(tf, info))
			thread_user_fault((int)t, tf->eip, info);
	} else {
		kernel_fault(tf);
	}
	if (tf_from_user(tf)) {
		stun_point(tf);
		thread_return_to_user();
		stun_point(tf);	/* a stun while it waited for the CPU */
		arch_signal_pending(tf);
	}
}
