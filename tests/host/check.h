/*
 * check.h - the tiny assertion kit of the host unit tests.
 *
 * Every host test program includes this once, calls CHECK() for each
 * assertion and TEST_DONE() at the end of main().  Each CHECK prints
 * "ok N - what" or "not ok N - what" (with file:line on a "# " line),
 * TEST_DONE prints the closing line "N passed, N failed" and returns the
 * exit status (0 only when nothing failed).
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

static int check_passed;
static int check_failed;

static inline int
check_report(int ok, const char *what, const char *file, int line)
{
	int n = check_passed + check_failed + 1;

	if (ok) {
		check_passed++;
		printf("ok %d - %s\n", n, what);
	} else {
		check_failed++;
		printf("not ok %d - %s\n# at %s:%d\n", n, what, file, line);
	}
	fflush(stdout);
	return ok;
}

/* CHECK(cond, "what"): one assertion; evaluates to cond's truth. */
#define CHECK(cond, what) check_report(!!(cond), (what), __FILE__, __LINE__)

/* TEST_DONE(): print the closing line; use as `return TEST_DONE();`. */
#define TEST_DONE()                                                        \
	(printf("%d passed, %d failed\n", check_passed, check_failed),     \
	 fflush(stdout), check_failed ? 1 : 0)

#endif /* TESTS_HOST_CHECK_H */
