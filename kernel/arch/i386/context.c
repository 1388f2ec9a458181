/*
 * context.c - thread contexts: the initial kernel stack of a new thread,
 * what changes on a switch (TSS esp0, page directory, FPU ownership), lazy
 * FPU state switching through CR0.TS and the device-not-available trap,
 * and the first entry of a user thread into ring 3.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"


#define CR0_MP 0x2u
#define CR0_EM 0x4u
#define CR0_TS 0x8u
#define CR0_NE 0x20u
#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u

static struct thread *fpu_owner;
static bool ts_set;	/* CR0.TS as last written: writes are costly, skip them */
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

void
fpu_init(void)
{
	lcr0((rcr0() & ~CR0_EM) | CR0_MP | CR0_NE);
	lcr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	clts();
	fninit();
	fxsave(fpu_initial);
	lcr0(rcr0() | CR0_TS);
	ts_set = true;
}

/* #NM: the current thread touches the FPU; give it its own state. */
void
fpu_trap(void)
{
	struct thread *t = thread_current();

	clts();
	ts_set = false;
	if (fpu_owner == t)
		return;
	if (fpu_owner)
		fxsave(fpu_owner->fpu_state);
	if (!t->fpu_used) {
		memcpy(t->fpu_state, fpu_initial, sizeof(fpu_initial));
		t->fpu_used = true;
	}
	fxrstor(t->fpu_state);
	fpu_owner = t;
}

void
fpu_forget(struct thread *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
	t->fpu_used = false;
}

/* Stack of a new thread: the registers arch_switch pops, then its "return". */
void
arch_thread_init(struct thread *t)
{
	uint32_t *sp = (uint32_t *)(t->kstack + KSTACK_SIZE);

	*--sp = 0;                           /* fake return of the thread body */
	*--sp = (uint32_t)arch_thread_start; /* arch_switch returns here */
	*--sp = 0;                           /* ebp */
	*--sp = 0;                           /* ebx */
	*--sp = 0;                           /* esi */
	*--sp = 0;                           /* edi */
	t->kesp = (uint32_t)sp;
}

static struct proc *io_owner;	/* whose I/O map the TSS holds (irq-off) */

/* The I/O map of p into the TSS if another one is there (irq-off). */
static void
iomap_switch(struct proc *p)
{
	if (p == NULL || p == io_owner)
		return; /* ring 0 ignores the map: keep it */
	if (p->iomap || (io_owner && io_owner->iomap))
		tss_iomap_set(p->iomap, p->io_lo, p->io_hi);
	io_owner = p;
}

void
arch_iomap_changed(struct proc *p)
{
	uint32_t f = arch_irq_save();

	if (io_owner == p) {
		tss_iomap_set(p->iomap, p->io_lo, p->io_hi);
		if (p->iomap == NULL)
			io_owner = NULL;
	}
	arch_irq_restore(f);
}

void
arch_thread_switched(struct thread *prev, struct thread *next)
{
	uint32_t *pd = next->proc ? next->proc->pgdir : kernel_pgdir;

	(void)prev;
	iomap_switch(next->proc);
	if (next->kstack && next->kstack != (uint8_t *)1)
		tss_set_kstack((uint32_t)next->kstack + KSTACK_SIZE);
	if (rcr3() != (uint32_t)pd)
		lcr3((uint32_t)pd);
	if (fpu_owner == next) {
		if (ts_set) {
			clts();
			ts_set = false;
		}
	} else if (!ts_set) {
		lcr0(rcr0() | CR0_TS);
		ts_set = true;
	}
}

void arch_user_start(uint32_t eip, uint32_t esp, uint32_t eax, uint32_t ktop)
	__attribute__((noreturn));

/*
 * arch_enter_user: leave the kernel for ring 3 at eip with stack esp; eax
 * carries a value to the user code.  Never returns.
 */
void
arch_enter_user(uint32_t eip, uint32_t esp, uint32_t eax)
{
	struct thread *t = thread_current();

	arch_user_start(eip, esp, eax, (uint32_t)t->kstack + KSTACK_SIZE);
}

/* arch_fpu_save: t's live FPU registers into t->fpu_state (stun). */
void
arch_fpu_save(struct thread *t)
{
	if (fpu_owner == t && t == thread_current() && !ts_set)
		fxsave(t->fpu_state);
}

extern char trap_return[];

#define EFL_USER 0xCD5u	/* CF PF AF ZF SF DF OF: what a frame may set */

void
arch_enter_user_frame(const uint32_t *u)
{
	struct thread *t = thread_current();
	struct trapframe *tf = (struct trapframe *)(t->kstack + KSTACK_SIZE -
						    sizeof(*tf));

	memcpy(tf, &u[1], sizeof(*tf));
	tf->gs = tf->fs = tf->es = tf->ds = SEL_UDATA;
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->eflags = (tf->eflags & EFL_USER) | 0x202u;
	tf->trapno = tf->err = 0;
	__asm__ volatile("movl %0, %%esp\n\tjmp trap_return"
			 : : "r"(tf) : "memory");
	__builtin_unreachable();
}
