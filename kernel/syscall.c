/*
 * syscall.c - the machine-independent system calls (the ABI is in
 * libamoeba/include/amoeba/syscall.h; kernel/arch/i386/syscall_arch.c
 * decodes the registers).
 *
 * Every handler treats its arguments as hostile: pointers and lengths go
 * through uaccess, numbers are range-checked, and errors come back as
 * negative errstat values.  Handlers run in the calling thread, with
 * interrupts enabled, and may block.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/clock.h"
#include "kernel/tty.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include "kernel/arch/vm.h"
#include <amoeba/pd.h>
#include <amoeba/syscall.h>
#include <server/process/proc.h>
#include <stderr.h>

bool
user_ok(uint32_t uva, uint32_t len, bool write)
{
	struct proc *p = proc_current();

	return p && vm_user_ok(p->pgdir, uva, len, write);
}

errstat
copyin(void *dst, uint32_t uva, uint32_t n)
{
	if (!user_ok(uva, n, false))
		return STD_ARGBAD;
	memcpy(dst, (const void *)uva, n);
	return STD_OK;
}

errstat
copyout(uint32_t uva, const void *src, uint32_t n)
{
	if (!user_ok(uva, n, true))
		return STD_ARGBAD;
	memcpy((void *)uva, src, n);
	return STD_OK;
}

static int32_t
sys_console_write(uint32_t buf, uint32_t len)
{
	char chunk[256];
	uint32_t done = 0;

	if (len > (1u << 24))
		return STD_ARGBAD;
	while (done < len) {
		uint32_t n = MIN(len - done, sizeof(chunk));

		if (done && !thread_preempt_point())
			break; /* being killed */
		if (copyin(chunk, buf + done, n) != STD_OK)
			return done ? (int32_t)done : STD_ARGBAD;
		for (uint32_t i = 0; i < n; i++) {
			if (chunk[i] == '\n')
				console_putc('\r');
			console_putc(chunk[i]);
		}
		done += n;
	}
	return (int32_t)done;
}

static int32_t
sys_console_read(uint32_t buf, uint32_t len, uint32_t flags)
{
	char line[256];
	int n;

	if (!user_ok(buf, len, true))
		return STD_ARGBAD;
	if (len == 0)
		return 0;
	if (flags & 1) {
		int c = tty_getc(&tty_console, true);

		if (c < 0)
			return 0;
		line[0] = (char)c;
		n = 1;
	} else {
		n = tty_readline(&tty_console, line, (int)MIN(len, sizeof(line)));
	}
	return copyout(buf, line, (uint32_t)n) == STD_OK ? n : STD_ARGBAD;
}

/* The heap: the GROWUP segment; break = its start + length. */
static int32_t
sys_brk(uint32_t newbrk)
{
	struct proc *p = proc_current();
	struct mapping *m;
	uint32_t base;

	if (p->heap_va == 0)
		return STD_NOMEM;
	m = &p->map[p->heap_va - 1];
	base = m->va;
	if (newbrk == 0)
		return (int32_t)(m->va + m->seg->len);
	if (newbrk < base || newbrk - base > SEG_MAXLEN ||
	    !proc_seg_can_grow(m->seg, newbrk - base))
		return STD_NOMEM;
	if (seg_grow(m->seg, newbrk - base) != STD_OK)
		return STD_NOMEM;
	return (int32_t)(m->va + m->seg->len);
}

static int32_t
sys_newthread(uint32_t pc, uint32_t sp, uint32_t local)
{
	struct proc *p = proc_current();
	struct thread *t;

	if (pc < USER_BASE || pc >= USER_END || !user_ok(pc, 1, false) ||
	    sp < USER_BASE + 512 || !user_ok(sp - 512, 512, true))
		return STD_ARGBAD;
	t = proc_new_thread(p, pc, sp, local);
	return t ? t->pslot : STD_NOSPACE;
}

/* Futex-style wait: sleep while *addr == expected (event = its frame). */
static int32_t
sys_mu_wait(uint32_t addr, uint32_t expected, uint32_t timeout)
{
	struct proc *p = proc_current();
	uint32_t f, pa;
	int r = 0;

	if ((addr & 3) || !user_ok(addr, 4, true))
		return STD_ARGBAD;
	pa = vm_translate(p->pgdir, addr, true);
	f = arch_irq_save();
	if (*(volatile uint32_t *)addr == expected)
		r = thread_sleep((void *)pa, timeout > 0x7FFFFFFF ? 0 : timeout);
	arch_irq_restore(f);
	if (r == THREAD_INTERRUPTED)
		return STD_INTR;
	return r < 0 ? STD_NOTNOW : STD_OK;
}

static int32_t
sys_mu_wake(uint32_t addr, uint32_t n)
{
	struct proc *p = proc_current();
	uint32_t pa;
	int32_t woken = 0;

	if ((addr & 3) || !user_ok(addr, 4, true))
		return STD_ARGBAD;
	pa = vm_translate(p->pgdir, addr, true);
	while ((uint32_t)woken < n && thread_wakeup_one((void *)pa))
		woken++;
	return woken;
}

static int32_t
sys_gettime(uint32_t out)
{
	struct vx_time t;
	int64_t sec;
	int32_t usec;

	clock_tod(&sec, &usec);
	t.sec = sec;
	t.usec = usec;
	return copyout(out, &t, sizeof(t));
}

/* SYS_GETINFO: the caller's process capability and PD (checkpoint form). */
static int32_t
sys_getinfo(uint32_t capp, uint32_t buf, uint32_t len)
{
	static uint8_t pd[PSVR_BUFSZ];	/* no sleep while it is used */
	struct proc *p = thread_current()->proc;
	struct pd_info info;
	int n = proc_getinfo(p, pd, sizeof(pd));
	errstat err;

	if (n < 0)
		return n;
	if ((uint32_t)n > len)
		return STD_OVERFLOW;
	if (capp != 0) {
		if (pd_get(pd, (size_t)n, &info) < 0)
			return STD_SYSERR;
		err = copyout(capp, &info.self, sizeof(capability));
		if (err != STD_OK)
			return err;
	}
	err = copyout(buf, pd, (uint32_t)n);
	return err != STD_OK ? err : n;
}

static int32_t
sys_set_prio(uint32_t prio, bool process)
{
	struct thread *t = thread_current();
	int old;

	if (prio > PRIO_LOW)
		return STD_ARGBAD;
	old = process ? t->proc->prio : t->prio;
	if (process) {
		t->proc->prio = (int)prio;
		thread_relevel(t->proc);
	} else
		t->prio = (int)prio;
	thread_yield(); /* let a now-higher thread run */
	return old;
}

static int32_t
sys_stats(uint32_t out)
{
	struct vx_stats s;

	s.free_pages = page_free_count();
	s.total_pages = page_total_count();
	s.nthreads = sched_stats.nthreads;
	s.nprocs = (unsigned)proc_count();
	s.switches = sched_stats.switches;
	s.preemptions = sched_stats.preemptions;
	return copyout(out, &s, sizeof(s));
}

/* Sleep ms milliseconds; a signal ends it early with STD_INTR. */
static int32_t
sys_sleep_ms(uint32_t ms)
{
	uint32_t f;
	int r;

	if (ms > 0x7FFFFFFF)
		return STD_ARGBAD;
	f = arch_irq_save();
	r = thread_sleep_sig(NULL, ms ? ms : 1);
	arch_irq_restore(f);
	return r == THREAD_SIGNALLED || r == THREAD_INTERRUPTED ? STD_INTR
								: STD_OK;
}

#define MAX_SIGVEC 64	/* catchers per thread */

/* This thread's signal vector: n sig_vectors at user address vec. */
static int32_t
sys_setvec(uint32_t vec, uint32_t n)
{
	struct thread *t = thread_current();

	if (n > MAX_SIGVEC || (n && !user_ok(vec, n * 16, false)))
		return STD_ARGBAD;
	t->sigvec = vec;
	t->nsigvec = n;
	return STD_OK;
}

/*
 * Raise sig in every thread of the calling process that catches it; the
 * others are unaffected (Amoeba).  A negative sig is a user-generated
 * exception: broadcast the same way, and not held back by sig_block.
 */
static int32_t
sys_sigraise(int32_t sig)
{
	struct proc *p = proc_current();
	struct thread *list[PROC_MAXTHREAD];
	int n = 0;

	if (sig == 0)
		return STD_ARGBAD;
	uint32_t f = arch_irq_save();
	for (struct thread *t = p->threads; t && n < PROC_MAXTHREAD;
	     t = t->pnext)
		if (arch_thread_catches(t, sig))
			list[n++] = t;
	arch_irq_restore(f);
	for (int i = 0; i < n; i++)
		thread_signal(list[i], sig);
	return STD_OK;
}

/* sig_block / sig_unblock: hold this thread's signals back; old state. */
static int32_t
sys_sigblock(uint32_t on)
{
	struct thread *t = thread_current();
	int32_t old = t->sigblocked;

	t->sigblocked = on != 0;
	return old;
}

static int32_t
sys_micro(uint32_t out)
{
	uint64_t us = arch_micro();

	return copyout(out, &us, sizeof(us));
}

/* Map a segment (an existing one by capability, or a new one) at va. */
static int32_t
sys_seg_map(uint32_t capp, uint32_t va, uint32_t len, uint32_t flags)
{
	struct proc *p = proc_current();
	bool rw = flags & VX_MAP_RW;
	struct segment *s;
	rights_bits rights;
	capability cap;
	errstat err;
	int idx;

	if (flags & VX_MAP_NEW) {
		if (len == 0 || len > SEG_MAXLEN)
			return STD_ARGBAD;
		s = seg_create(len);
		if (s == NULL)
			return STD_NOSPACE;
	} else {
		if (copyin(&cap, capp, sizeof(cap)) != STD_OK)
			return STD_ARGBAD;
		s = seg_lookup(&cap, &rights, &err);
		if (s == NULL)
			return err;
		if (!(rights & PSR_READ) || (rw && !(rights & PSR_WRITE)))
			return STD_DENIED;
		seg_ref(s);
	}
	idx = proc_map(p, s, va, rw, MAP_TYPEDATA);
	seg_unref(s); /* the mapping holds it */
	return idx;
}

static int32_t
sys_seg_unmap(uint32_t idx, uint32_t capout)
{
	struct proc *p = proc_current();
	struct segment *s;
	capability cap;

	if (idx >= PROC_MAXMAP || p->map[idx].seg == NULL ||
	    (int)idx == (int)p->heap_va - 1)
		return STD_ARGBAD;
	s = p->map[idx].seg;
	if (capout) {
		seg_cap(s, PRV_ALL_RIGHTS, &cap);
		if (copyout(capout, &cap, sizeof(cap)) != STD_OK)
			return STD_ARGBAD;
		seg_keep(s, p); /* lives on as a capability */
	}
	return proc_unmap(p, (int)idx);
}

static int32_t
sys_seg_grow(uint32_t idx, uint32_t newlen)
{
	struct proc *p = proc_current();

	if (idx >= PROC_MAXMAP || p->map[idx].seg == NULL ||
	    newlen > SEG_MAXLEN)
		return STD_ARGBAD;
	if (!p->map[idx].writable)
		return STD_DENIED;
	if (!proc_seg_can_grow(p->map[idx].seg, newlen))
		return STD_ARGBAD; /* another mapping is in the way */
	return seg_grow(p->map[idx].seg, newlen);
}

static int32_t
sys_exitprocess(int32_t status)
{
	struct proc *p = proc_current();

	proc_kill(p, PROC_EXITED, status);
	thread_exit(status);
}

/* ---- blocks served above the core (syscall_register) ---------------- */

#define SYS_NBLOCK 8

static struct {
	uint32_t first, last;
	sys_block_fn fn;
} blocks[SYS_NBLOCK];

void
syscall_register(uint32_t first, uint32_t last, sys_block_fn fn)
{
	for (int i = 0; i < SYS_NBLOCK; i++)
		if (blocks[i].fn == NULL) {
			blocks[i].first = first;
			blocks[i].last = last;
			blocks[i].fn = fn;
			return;
		}
	panic("syscall_register: more than %d blocks", SYS_NBLOCK);
}

sys_trap_fn sys_traps[SYS_NTRAP];

void
syscall_register_trap(enum sys_trap trap, sys_trap_fn fn)
{
	if ((unsigned)trap >= SYS_NTRAP || sys_traps[trap] != NULL)
		panic("syscall_register_trap: trap %d taken or unknown",
		      (int)trap);
	sys_traps[trap] = fn;
}

static int32_t
sys_block(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	for (int i = 0; i < SYS_NBLOCK && blocks[i].fn; i++)
		if (code >= blocks[i].first && code <= blocks[i].last)
			return blocks[i].fn(code, a1, a2, a3, a4);
	return STD_COMBAD;
}

int32_t
sys_newsys(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	struct thread *t = thread_current();

	switch (code) {
	case SYS_EXITPROCESS:
		return sys_exitprocess((int32_t)a1);
	case SYS_SEG_MAP:
		return sys_seg_map(a1, a2, a3, a4);
	case SYS_SEG_UNMAP:
		return sys_seg_unmap(a1, a2);
	case SYS_SEG_GROW:
		return sys_seg_grow(a1, a2);
	case SYS_THREADSWITCH:
		thread_yield();
		return 0;
	case SYS_MU_WAIT:
		return sys_mu_wait(a1, a2, a3);
	case SYS_MU_WAKE:
		return sys_mu_wake(a1, a2);
	case SYS_NEWTHREAD:
		return sys_newthread(a1, a2, a3);
	case SYS_GETLOCAL:
		return (int32_t)t->user_local;
	case SYS_MILLI:
		return (int32_t)arch_milli();
	case SYS_NULL:
		return 0;
	case SYS_THREAD_GET_MAX_PRIO:
		return PRIO_HIGH;
	case SYS_THREAD_SET_PRIORITY:
		return sys_set_prio(a1, false);
	case SYS_PROC_SET_PRIORITY:
		return sys_set_prio(a1, true);
	case SYS_THREAD_EN_PREEMPT: {
		int old = t->proc->preempt_threads;

		t->proc->preempt_threads = a1 != 0;
		return old;
	}
	case SYS_CONSOLE_WRITE:
		return sys_console_write(a1, a2);
	case SYS_CONSOLE_READ:
		return sys_console_read(a1, a2, a3);
	case SYS_BRK:
		return sys_brk(a1);
	case SYS_GETTIME:
		return sys_gettime(a1);
	case SYS_GETINFO:
		return sys_getinfo(a1, a2, a3);
	case SYS_SLEEP:
		return sys_sleep_ms(a1);
	case SYS_MICRO:
		return sys_micro(a1);
	case SYS_GETPID:
		return t->proc->pid;
	case SYS_STATS:
		return sys_stats(a1);
	case SYS_SETVEC:
		return sys_setvec(a1, a2);
	case SYS_SIGRAISE:
		return sys_sigraise((int32_t)a1);
	case SYS_SIGBLOCK:
		return sys_sigblock(a1);
	default:
		return sys_block(code, a1, a2, a3, a4);
	}
}

void
sys_exitthread(int32_t status)
{
	thread_exit(status);
}
