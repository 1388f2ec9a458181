/*
 * ktest.h - in-kernel test cases.
 *
 * KTEST(name) { ... } defines a test; the linker gathers the descriptors
 * in name order.  The command-line option `ktest` runs every test,
 * `ktest=a,b*` runs the named ones (a trailing * matches a prefix).  Each
 * test runs in its own kernel thread; the runner prints "ok N - name" or
 * "not ok N - name", then "N passed, N failed", then leaves QEMU.
 * KTEST_MANUAL tests (such as the runner's own deliberately failing one)
 * run only when named exactly.
 */
#ifndef TESTS_KERNEL_KTEST_H
#define TESTS_KERNEL_KTEST_H

#include "kernel/klib.h"

struct ktest {
	const char *name;   /* unique test name */
	void (*fn)(void);   /* the test body */
	unsigned flags;     /* KTEST_MANUAL */
};

#define KTEST_MANUAL 1u

#define KTEST_FLAGS(tname, tflags)                                          \
	static void ktest_fn_##tname(void);                                 \
	static const struct ktest ktest_desc_##tname                        \
		__attribute__((used, section(".ktest." #tname), aligned(4))) = \
			{ #tname, ktest_fn_##tname, (tflags) };             \
	static void ktest_fn_##tname(void)
#define KTEST(tname) KTEST_FLAGS(tname, 0)

/* ktest_fail: record a failure of the running test (with a "# " note). */
void ktest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* KT_CHECK: record a failure and go on; KT_ASSERT: record and return. */
#define KT_CHECK(cond)                                                      \
	do {                                                                \
		if (!(cond))                                                \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);        \
	} while (0)
#define KT_ASSERT(cond)                                                     \
	do {                                                                \
		if (!(cond)) {                                              \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);        \
			return;                                             \
		}                                                           \
	} while (0)
#define KT_EQ(a, b)                                                         \
	do {                                                                \
		long long ka_ = (long long)(a), kb_ = (long long)(b);       \
		if (ka_ != kb_)                                             \
			ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a, #b, ka_, kb_);                       \
	} while (0)

/* ktest_run: run the tests the pattern selects, report, leave QEMU. */
void ktest_run(const char *pattern) __attribute__((noreturn));
/* kbench_run: the kernel benchmarks (kbench.c); leaves QEMU. */
void kbench_run(void) __attribute__((noreturn));

#endif /* TESTS_KERNEL_KTEST_H */
