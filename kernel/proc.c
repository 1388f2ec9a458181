/*
 * proc.c - processes: creation, segment mappings, user threads, faults,
 * and the end of a process (see proc.h for the model).
 *
 * Entry points: proc_init, proc_create, proc_map, proc_unmap,
 * proc_new_thread, proc_kill, proc_wait, proc_on_gone, thread_user_fault.
 * proc_init registers what the lower layers call back: the end of a
 * thread (thread_on_exit) and the mapper of moving segments (seg.h).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include <stderr.h>
#include "kernel/klib.h"
#include "kernel/krandom.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include "kernel/arch/vm.h"


static struct proc procs[NPROC];
static int nlive;
static void (*gone_hooks[PROC_NGONEHOOK])(struct proc *p);
static int ngone_hooks;

void
proc_on_gone(void (*fn)(struct proc *p))
{
	if (ngone_hooks == PROC_NGONEHOOK)
		panic("too many process hooks");
	gone_hooks[ngone_hooks++] = fn;
}

struct proc *
proc_current(void)
{
	struct thread *t = thread_current();

	return t ? t->proc : NULL;
}

struct proc *
proc_by_pid(int pid)
{
	if (pid < 0 || pid >= NPROC || procs[pid].state == PS_FREE)
		return NULL;
	return &procs[pid];
}

int
proc_count(void)
{
	return nlive;
}

struct proc *
proc_create(const char *name, int prio)
{
	uint32_t f = arch_irq_save();
	struct proc *p = NULL;

	for (int i = 0; i < NPROC; i++) {
		if (procs[i].state == PS_FREE) {
			p = &procs[i];
			memset(p, 0, sizeof(*p));
			p->pid = i;
			p->state = PS_LIVE;
			nlive++;
			break;
		}
	}
	arch_irq_restore(f);
	if (p == NULL)
		return NULL;
	p->pgdir = vm_pgdir_create();
	if (p->pgdir == NULL) {
		p->state = PS_FREE;
		nlive--;
		return NULL;
	}
	strncpy(p->name, name, PROC_NAME - 1);
	p->prio = prio < PRIO_HIGH || prio > PRIO_LOW ? PRIO_NORM : prio;
	p->slice_left = TIMESLICE_MS;
	krandom(&p->check, sizeof(p->check));
	return p;
}

/* Does [va, va+len) overlap a segment of p? */
static bool
overlaps_seg(const struct proc *p, uint32_t va, uint32_t len)
{
	for (int i = 0; i < PROC_MAXMAP; i++) {
		const struct mapping *m = &p->map[i];

		if (m->seg && va < m->va + m->len && m->va < va + len)
			return true;
	}
	return false;
}

/* ... or the part of the device window it uses (device grants)? */
static bool
overlaps(const struct proc *p, uint32_t va, uint32_t len)
{
	if (p->dev_va && va < p->dev_va && p->dev_base < va + len)
		return true;
	return overlaps_seg(p, va, len);
}

bool
proc_va_used(const struct proc *p, uint32_t va, uint32_t len)
{
	return overlaps_seg(p, va, len);
}

int
proc_map(struct proc *p, struct segment *s, uint32_t va, bool writable,
	 uint32_t type)
{
	uint32_t len = ALIGN_UP(s->len ? s->len : 1, PAGE_SIZE);

	if ((va & (PAGE_SIZE - 1)) || va < USER_BASE || va > USER_END - len ||
	    overlaps(p, va, len))
		return STD_ARGBAD;
	for (int i = 0; i < PROC_MAXMAP; i++) {
		struct mapping *m = &p->map[i];

		if (m->seg)
			continue;
		if (vm_map(p->pgdir, va, s->pa, len, writable) < 0)
			return STD_NOSPACE;
		m->seg = s;
		m->va = va;
		m->len = len;
		m->writable = writable;
		m->type = type;
		seg_ref(s);
		s->mapcount++;
		return i;
	}
	return STD_NOSPACE;
}

errstat
proc_unmap(struct proc *p, int idx)
{
	struct mapping *m;

	if (idx < 0 || idx >= PROC_MAXMAP || p->map[idx].seg == NULL)
		return STD_ARGBAD;
	m = &p->map[idx];
	vm_unmap(p->pgdir, m->va, m->len);
	m->seg->mapcount--;
	seg_unref(m->seg);
	m->seg = NULL;
	return STD_OK;
}

/*
 * proc_seg_reserve: make the page tables every mapping of s needs at
 * newlen, before seg_grow commits, so that proc_seg_moved cannot fail.
 */
static errstat
proc_seg_reserve(const struct segment *s, uint32_t newlen)
{
	uint32_t len = ALIGN_UP(newlen ? newlen : 1, PAGE_SIZE);

	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == PS_FREE || p->pgdir == NULL)
			continue;
		for (int j = 0; j < PROC_MAXMAP; j++)
			if (p->map[j].seg == s &&
			    vm_reserve(p->pgdir, p->map[j].va, len) < 0)
				return STD_NOSPACE;
	}
	return STD_OK;
}

/* A segment moved or changed length: redo its mappings everywhere. */
static void
proc_seg_moved(struct segment *s, uint32_t old_len)
{
	(void)old_len;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == PS_FREE || p->pgdir == NULL)
			continue;
		for (int j = 0; j < PROC_MAXMAP; j++) {
			struct mapping *m = &p->map[j];
			uint32_t len = ALIGN_UP(s->len ? s->len : 1, PAGE_SIZE);

			if (m->seg != s)
				continue;
			vm_unmap(p->pgdir, m->va, m->len);
			if (vm_map(p->pgdir, m->va, s->pa, len, m->writable) < 0)
				panic("remap of segment %d failed", s->id);
			m->len = len;
		}
	}
}

/* Can the mapping at idx grow to newlen without running into another? */
static bool
map_can_grow(const struct proc *p, int idx, uint32_t newlen)
{
	const struct mapping *m = &p->map[idx];
	uint32_t len = ALIGN_UP(newlen ? newlen : 1, PAGE_SIZE);

	if (m->va > USER_END - len)
		return false;
	for (int i = 0; i < PROC_MAXMAP; i++) {
		const struct mapping *o = &p->map[i];

		if (i != idx && o->seg && m->va < o->va + o->len &&
		    o->va < m->va + len)
			return false;
	}
	return true;
}

/* proc_seg_can_grow: may s reach newlen in every process that maps it? */
bool
proc_seg_can_grow(const struct segment *s, uint32_t newlen)
{
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &procs[i];

		if (p->state == PS_FREE || p->pgdir == NULL)
			continue;
		for (int j = 0; j < PROC_MAXMAP; j++)
			if (p->map[j].seg == s && !map_can_grow(p, j, newlen))
				return false;
	}
	return true;
}

static struct thread *proc_new_thread_held(struct proc *p, uint32_t eip,
		uint32_t esp, uint32_t local, uint32_t *immig);

static void
user_thread_entry(void *arg)
{
	struct thread *t = thread_current();

	(void)arg;
	if (t->immig != NULL) {
		uint32_t u[20];

		memcpy(u, t->immig, sizeof(u));
		kfree(t->immig);
		t->immig = NULL;
		if (t->killed && !t->proc->stun)
			thread_exit(-1);
		proc_stop_point(u);
		if (t->killed)
			thread_exit(-1);
		arch_enter_user_frame(u);
	}
	if (t->killed && t->proc->stun) {	/* stunned before it ran */
		uint32_t u[20] = { 0 };

		u[15] = t->user_eip;
		u[18] = t->user_esp;
		u[16] = 0x2B;
		u[19] = 0x23;
		u[17] = 0x202;
		proc_stop_point(u);
		if (t->killed)
			thread_exit(-1);
		arch_enter_user_frame(u);
	}
	if (t->killed)
		thread_exit(-1);
	arch_enter_user(t->user_eip, t->user_esp, 0);
}

static proc_getinfo_fn getinfo_fn;	/* set once at boot */

void
proc_set_getinfo(proc_getinfo_fn fn)
{
	getinfo_fn = fn;
}

int
proc_getinfo(struct proc *p, uint8_t *buf, size_t len)
{
	return getinfo_fn != NULL ? getinfo_fn(p, buf, len) : STD_SYSERR;
}

errstat
proc_stun(struct proc *p)
{
	uint32_t f = arch_irq_save();

	if (p->state != PS_LIVE || p->stun) {
		arch_irq_restore(f);
		return p->stun ? STD_NOTNOW : STD_CAPBAD;
	}
	p->stun = true;
	for (struct thread *t = p->threads; t; t = t->pnext)
		if (t != thread_current())
			thread_kill(t);	/* interrupts its sleep; not fatal */
	arch_irq_restore(f);
	return STD_OK;
}

bool
proc_stun_wait(struct proc *p, uint32_t ms)
{
	uint32_t f = arch_irq_save();
	uint32_t end = arch_milli() + ms;

	while (p->state == PS_LIVE && p->nstopped < p->nthreads &&
	       (int32_t)(end - arch_milli()) > 0)
		thread_sleep(&p->nstopped, 20); /* re-counted on each stop */
	bool all = p->state == PS_LIVE && p->nstopped == p->nthreads;
	arch_irq_restore(f);
	return all;
}

void
proc_resume(struct proc *p)
{
	uint32_t f = arch_irq_save();

	if (p->state == PS_LIVE) {
		for (struct thread *t = p->threads; t; t = t->pnext)
			t->killed = false;
		p->stun = false;
		thread_wakeup(&p->stun);
	}
	arch_irq_restore(f);
}

void
proc_stop_point(const uint32_t *u)
{
	struct thread *t = thread_current();
	struct proc *p = t->proc;
	uint32_t f = arch_irq_save();

	if (p == NULL || !p->stun || p->state != PS_LIVE) {
		arch_irq_restore(f);
		return;
	}
	memcpy(t->ustate, u, sizeof(t->ustate));
	arch_fpu_save(t);
	t->stopped = true;
	t->killed = false;
	p->nstopped++;
	thread_wakeup(&p->nstopped);
	while (p->stun && p->state == PS_LIVE)
		thread_sleep(&p->stun, 0);
	t->stopped = false;
	p->nstopped--;
	if (p->state != PS_LIVE)
		t->killed = true;
	arch_irq_restore(f);
}

struct thread *
proc_new_thread_frame(struct proc *p, const uint32_t *u, const uint32_t *k,
		      const uint8_t *fpu)
{
	uint32_t *frame = kmalloc(20 * sizeof(uint32_t));
	struct thread *t;

	if (frame == NULL)
		return NULL;
	memcpy(frame, u, 20 * sizeof(uint32_t));
	t = proc_new_thread_held(p, u[15], u[18], k[4], frame);
	if (t == NULL) {
		kfree(frame);
		return NULL;
	}
	t->sigvec = k[1];
	t->nsigvec = k[2];
	if (fpu != NULL) {
		memcpy(t->fpu_state, fpu, sizeof(t->fpu_state));
		t->fpu_used = true;
	}
	thread_start(t);
	return t;
}

/* A new thread of p, not started yet; immig: its first frame or NULL. */
static struct thread *
proc_new_thread_held(struct proc *p, uint32_t eip, uint32_t esp,
		     uint32_t local, uint32_t *immig)
{
	struct thread *t;
	uint32_t f;
	int slot = -1;

	if (p->state != PS_LIVE || p->nthreads >= PROC_MAXTHREAD)
		return NULL;
	for (int i = 0; i < PROC_MAXTHREAD && slot < 0; i++) {
		slot = i;
		for (struct thread *o = p->threads; o; o = o->pnext)
			if (o->pslot == i)
				slot = -1;
	}
	t = thread_create_user(p, p->name, user_thread_entry, NULL, PRIO_NORM);
	if (t == NULL)
		return NULL;
	t->user_eip = eip;
	t->user_esp = esp;
	t->user_local = local;
	t->immig = immig;
	t->pslot = slot;
	f = arch_irq_save();
	t->pnext = p->threads;
	p->threads = t;
	p->nthreads++;
	arch_irq_restore(f);
	thread_detach(t);
	return t;
}

struct thread *
proc_new_thread(struct proc *p, uint32_t eip, uint32_t esp, uint32_t local)
{
	struct thread *t = proc_new_thread_held(p, eip, esp, local, NULL);

	if (t != NULL)
		thread_start(t);
	return t;
}

void
proc_kill(struct proc *p, int how, int status)
{
	uint32_t f = arch_irq_save();

	if (p->state != PS_LIVE) {
		arch_irq_restore(f);
		return;
	}
	p->state = PS_DYING;
	if (p->exit.how == PROC_EXITED && how != PROC_EXITED)
		p->exit.how = how;
	if (how != PROC_FAULTED)
		p->exit.status = status;
	for (struct thread *t = p->threads; t; t = t->pnext)
		thread_kill(t);
	arch_irq_restore(f);
}

/* Free everything the process holds; runs when its last thread is gone. */
static void
proc_teardown(struct proc *p)
{
	for (int i = ngone_hooks; i-- > 0;)
		gone_hooks[i](p);
	for (int i = 0; i < PROC_MAXMAP; i++)
		if (p->map[i].seg)
			proc_unmap(p, i);
	seg_release_creator(p);
	vm_pgdir_destroy(p->pgdir);
	p->pgdir = NULL;
	p->state = PS_ZOMBIE;
	nlive--;
	if (p->on_exit)
		p->on_exit(p, p->on_exit_arg);
	thread_wakeup(p);
}

/* A thread ended (thread_on_exit hook): the last one ends its process. */
static void
proc_thread_gone(struct thread *t)
{
	struct proc *p = t->proc;
	struct thread **pp;

	if (p == NULL)
		return;
	for (pp = &p->threads; *pp; pp = &(*pp)->pnext) {
		if (*pp == t) {
			*pp = t->pnext;
			break;
		}
	}
	if (--p->nthreads > 0)
		return;
	if (p->state == PS_LIVE) { /* last thread ended: as exit(0) */
		p->state = PS_DYING;
	}
	proc_teardown(p);
}

void
proc_abort(struct proc *p)
{
	KASSERT(p->nthreads == 0);
	p->state = PS_DYING;
	proc_teardown(p);
}

/* proc_wait: wait for p to end; fills *ex, frees the slot. */
void
proc_wait(struct proc *p, struct proc_exit *ex)
{
	uint32_t f = arch_irq_save();

	while (p->state != PS_ZOMBIE)
		thread_sleep(p, 0);
	*ex = p->exit;
	p->state = PS_FREE;
	arch_irq_restore(f);
}

/* Detach a process: its slot is freed by itself when it ends. */
static void
reap_on_exit(struct proc *p, void *arg)
{
	(void)arg;
	p->state = PS_FREE;
}

void
proc_detach(struct proc *p)
{
	p->on_exit = reap_on_exit;
}

void
thread_user_fault(int trapno, uint32_t eip, uint32_t addr)
{
	struct proc *p = proc_current();

	kprintf("vx: process %d (%s) fault: %s (trap %d) at eip %p addr %p\n",
		p->pid, p->name, arch_trap_name(trapno), trapno, (void *)eip,
		(void *)addr);
	if (p->state == PS_LIVE) {
		p->exit.how = PROC_FAULTED;
		p->exit.trapno = trapno;
		p->exit.eip = eip;
		p->exit.addr = addr;
	}
	proc_kill(p, PROC_FAULTED, 0);
	thread_exit(-1);
}

static const struct seg_mapper proc_mapper = {
	.reserve = proc_seg_reserve,
	.moved = proc_seg_moved,
};

void
proc_init(void)
{
	thread_on_exit(proc_thread_gone);
	seg_set_mapper(&proc_mapper);
}
