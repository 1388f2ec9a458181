/*
 * ktest.c - the in-kernel test runner (see ktest.h), linked only into
 * the test kernel: its boot hook runs the tests (`ktest`) or the kernel
 * benchmarks (`kbench`) the command line asks for.
 *
 * Runs in the boot thread.  Each test gets a fresh kernel thread, and the
 * runner waits for it to end, so a test that blocks forever is caught by
 * the host-side timeout and a failed test cannot leave the runner's state
 * half-changed.
 */
#include <stdarg.h>
#include <string.h>

#include "kernel/boothook.h"
#include "kernel/cmdline.h"
#include "kernel/thread.h"
#include "tests/kernel/ktest.h"

extern const struct ktest ktest_start[], ktest_end[];

static int cur_failed;

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cur_failed++;
	kprintf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

/* Does name match one of the comma-separated patterns? */
static int
selected(const struct ktest *t, const char *pattern)
{
	const char *p = pattern;

	if (pattern == NULL || *pattern == 0)
		return !(t->flags & KTEST_MANUAL);
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n && p[n - 1] == '*') {
			if (!(t->flags & KTEST_MANUAL) &&
			    strncmp(t->name, p, n - 1) == 0)
				return 1;
		} else if (strlen(t->name) == n && strncmp(t->name, p, n) == 0) {
			return 1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void
ktest_body(void *arg)
{
	const struct ktest *t = arg;

	t->fn();
}

void
ktest_run(const char *pattern)
{
	int n = 0, passed = 0, failed = 0;

	for (const struct ktest *t = ktest_start; t < ktest_end; t++) {
		struct thread *th;

		if (!selected(t, pattern))
			continue;
		cur_failed = 0;
		n++;
		th = thread_create_kernel(t->name, ktest_body, (void *)t,
					  PRIO_NORM);
		if (th == NULL)
			ktest_fail(__FILE__, __LINE__, "no thread for test");
		else
			thread_join(th);
		if (cur_failed) {
			failed++;
			kprintf("not ok %d - %s\n", n, t->name);
		} else {
			passed++;
			kprintf("ok %d - %s\n", n, t->name);
		}
	}
	kprintf("%d passed, %d failed\n", passed, failed);
	arch_exit(failed || n == 0 ? EXIT_FAIL : EXIT_PASS);
}

static void
ktest_boot(void)
{
	if (cmdline_get("ktest"))
		ktest_run(cmdline_get("ktest"));
	if (cmdline_get("kbench"))
		kbench_run();
}
BOOTHOOK(ktest_boot);

/* The runner's own deliberately failing test (run only when named). */
KTEST_FLAGS(selftest_fail, KTEST_MANUAL)
{
	KT_CHECK(1 + 1 == 3);
}

KTEST(selftest_pass)
{
	KT_CHECK(1 + 1 == 2);
	KT_EQ(strlen("vx"), 2);
}

/* A panic inside a test: the runner must see the panic line (manual). */
KTEST_FLAGS(selftest_panic, KTEST_MANUAL)
{
	panic("deliberate panic from selftest_panic");
}
