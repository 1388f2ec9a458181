/*
 * test_sched.c - the scheduler's rules, each checked deterministically
 * (in the spirit of Amoeba's src/test/kernel/priority t1-t3):
 * wake order follows priority; interrupt threads run above all; kernel
 * threads above user threads; a HIGH process starves a LOW one while it
 * can run; equal processes share the CPU by time slice; sleep timeouts.
 */
#include "kernel/arch/arch.h"
#include "tests/kernel/ktest.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "uprog.h"

static int order[8];
static int norder;
static int gate;
static int arrived;		/* threads that reached the gate (irq-off) */

static void
record(void *arg)
{
	uint32_t f = arch_irq_save();

	if (++arrived == 3)
		thread_wakeup(&arrived);
	while (!gate)
		thread_sleep(&gate, 0);
	arch_irq_restore(f);
	order[norder++] = (int)(uintptr_t)arg;
}

/* t1: threads of three priorities blocked on one event wake in order. */
KTEST(sched_wake_in_priority_order)
{
	struct thread *t[3];
	static const int prio[3] = { PRIO_LOW, PRIO_HIGH, PRIO_NORM };

	uint32_t f;

	norder = 0;
	gate = 0;
	arrived = 0;
	for (int i = 0; i < 3; i++)
		t[i] = thread_create_kernel("t1", record,
					    (void *)(uintptr_t)prio[i], prio[i]);
	f = arch_irq_save();	/* until all three sleep on &gate */
	while (arrived < 3)
		thread_sleep(&arrived, 0);
	arch_irq_restore(f);
	gate = 1;
	thread_wakeup(&gate);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	KT_EQ(norder, 3);
	KT_EQ(order[0], PRIO_HIGH);
	KT_EQ(order[1], PRIO_NORM);
	KT_EQ(order[2], PRIO_LOW);
}

/* Interrupt threads run before every kernel thread, even a HIGH one. */
KTEST(sched_irq_thread_first)
{
	struct thread *a, *b;
	uint32_t f;

	norder = 0;
	gate = 1;
	f = arch_irq_save(); /* create both before either can run */
	a = thread_create_kernel("high", record, (void *)1, PRIO_HIGH);
	b = thread_create_irq("irq", record, (void *)0);
	arch_irq_restore(f);
	thread_join(a);
	thread_join(b);
	KT_EQ(order[0], 0);
	KT_EQ(order[1], 1);
}

/* counter loop: inc dword [UPROG_DATA]; jmp back */
static const uint8_t spin[] = { 0xFF, 0x05, 0, 0, 0x10, 0x40, 0xEB, 0xF8 };

static void
end(struct proc *p)
{
	struct proc_exit ex;

	proc_kill(p, PROC_KILLED, 0);
	proc_wait(p, &ex);
}

/* t3: a HIGH process that never blocks starves a LOW one completely. */
KTEST(sched_process_priority)
{
	struct proc *lo = uprog_spawn("low", spin, sizeof(spin), PRIO_LOW);
	struct proc *hi = uprog_spawn("high", spin, sizeof(spin), PRIO_HIGH);

	KT_ASSERT(lo && hi);
	thread_msleep(200); /* let HIGH run for ten time slices */
	KT_CHECK(*uprog_data(hi) > 0);
	KT_EQ(*uprog_data(lo), 0);
	end(hi);
	/* now the LOW one gets the CPU: wait (bounded) until it counts */
	for (int i = 0; i < 200 && *uprog_data(lo) == 0; i++)
		thread_msleep(10);
	KT_CHECK(*uprog_data(lo) > 0);
	end(lo);
}

/* t2: equal processes share the CPU; the time slice preempts them. */
KTEST(sched_time_slice)
{
	struct proc *a = uprog_spawn("a", spin, sizeof(spin), PRIO_NORM);
	struct proc *b = uprog_spawn("b", spin, sizeof(spin), PRIO_NORM);
	uint32_t pre = sched_stats.preemptions;

	KT_ASSERT(a && b);
	thread_msleep(300);
	KT_CHECK(*uprog_data(a) > 0);
	KT_CHECK(*uprog_data(b) > 0);
	KT_CHECK(sched_stats.preemptions - pre >= 5);
	end(a);
	end(b);
}

static void
note_time(void *arg)
{
	*(uint32_t *)arg = arch_milli();
}

/* Kernel threads run above user processes, even a HIGH one spinning. */
KTEST(sched_kernel_above_user)
{
	struct proc *hi = uprog_spawn("hog", spin, sizeof(spin), PRIO_HIGH);
	uint32_t when = 0, start = arch_milli();
	struct thread *k;

	KT_ASSERT(hi);
	k = thread_create_kernel("klow", note_time, &when, PRIO_LOW);
	thread_join(k);
	KT_CHECK(when != 0 && when - start <= TIMESLICE_MS + 5);
	end(hi);
}

KTEST(sched_sleep_timeout)
{
	uint32_t t0 = arch_milli(), f = arch_irq_save();
	int r = thread_sleep(&t0, 30);

	arch_irq_restore(f);
	KT_EQ(r, -1);
	KT_CHECK(arch_milli() - t0 >= 30);
	KT_CHECK(arch_milli() - t0 < 200);
}

static struct kmutex mx;
static int inside, overlap;

static void
locker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		kmutex_lock(&mx);
		if (inside++)
			overlap++;
		thread_yield();
		inside--;
		kmutex_unlock(&mx);
	}
}

KTEST(sched_kmutex_excludes)
{
	struct thread *a = thread_create_kernel("m1", locker, NULL, PRIO_NORM);
	struct thread *b = thread_create_kernel("m2", locker, NULL, PRIO_NORM);

	thread_join(a);
	thread_join(b);
	KT_EQ(overlap, 0);
}
