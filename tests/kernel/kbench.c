/*
 * kbench.c - kernel benchmarks, run with the command-line option
 * `kbench`: each prints one line `bench: NAME VALUE UNIT`, read by
 * tests/bench.py.  Nothing here asserts a speed.
 *
 *   null_syscall       a user process issuing SYS_NULL in a loop
 *   kthread_switch     two kernel threads yielding to each other
 *   process_switch     two user processes yielding to each other
 *   proc_start_end     start a small process from its PD and wait for it
 */
#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "uprog.h"

#define LOOPS 200000

/* mov $LOOPS,%ecx; mov $code,%esi; 1: int $57; dec %ecx; jnz 1b; exit(0) */
#define SYSCALL_LOOP(code)                                                  \
	{ 0xB9, LOOPS & 0xFF, (LOOPS >> 8) & 0xFF, (LOOPS >> 16) & 0xFF, 0,  \
	  0xBE, (code), 0, 0, 0, 0xCD, 0x39, 0x49, 0x75, 0xFB,               \
	  0xBE, 0x10, 0, 0, 0, 0xBB, 0, 0, 0, 0, 0xCD, 0x39 }

static void
report(const char *name, uint64_t total_us, uint32_t n)
{
	uint64_t ns = total_us * 1000 / n;

	kprintf("bench: %s %u.%03u us\n", name, (unsigned)(ns / 1000),
		(unsigned)(ns % 1000));
}

static void
bench_null_syscall(void)
{
	static const uint8_t code[] = SYSCALL_LOOP(44);
	uint64_t t0 = arch_micro();

	uprog_run("sysnull", code, sizeof(code));
	report("null_syscall", arch_micro() - t0, LOOPS);
}

static volatile int yields_left;

static void
yielder(void *arg)
{
	(void)arg;
	while (yields_left > 0) {
		yields_left--;
		thread_yield();
	}
}

static void
bench_kthread_switch(void)
{
	struct thread *a, *b;
	uint64_t t0;

	yields_left = LOOPS;
	t0 = arch_micro();
	a = thread_create_kernel("y1", yielder, NULL, PRIO_HIGH);
	b = thread_create_kernel("y2", yielder, NULL, PRIO_HIGH);
	thread_join(a);
	thread_join(b);
	report("kthread_switch", arch_micro() - t0, LOOPS);
}

static void
bench_process_switch(void)
{
	static const uint8_t code[] = SYSCALL_LOOP(17); /* SYS_THREADSWITCH */
	struct proc *a, *b;
	struct proc_exit ex;
	uint32_t sw0 = sched_stats.switches;
	uint64_t t0 = arch_micro();

	a = uprog_spawn("ya", code, sizeof(code), PRIO_HIGH);
	b = uprog_spawn("yb", code, sizeof(code), PRIO_HIGH);
	if (a == NULL || b == NULL)
		return;
	proc_wait(a, &ex);
	proc_wait(b, &ex);
	report("process_switch", arch_micro() - t0,
	       sched_stats.switches - sw0);
}

static void
bench_proc_start_end(void)
{
	static const uint8_t code[] = { 0xBE, 0x10, 0, 0, 0, 0xBB, 0, 0, 0, 0,
					0xCD, 0x39 };
	uint64_t t0 = arch_micro();

	for (int i = 0; i < 200; i++)
		uprog_run("exit0", code, sizeof(code));
	report("proc_start_end", arch_micro() - t0, 200);
}

/* kbench_run: run every kernel benchmark, then leave QEMU. */
void
kbench_run(void)
{
	bench_null_syscall();
	bench_kthread_switch();
	bench_process_switch();
	bench_proc_start_end();
	kprintf("bench: done\n");
	arch_exit(EXIT_PASS);
}
