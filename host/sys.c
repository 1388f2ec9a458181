/*
 * sys.c - the few VX system calls of module/syscall.h that portable
 * Amoeba programs use, for Linux: the clocks, sleeping and yielding (both
 * give the CPU lock to the process's other Amoeba threads), sys_null and
 * sys_getpid.  The rest of module/syscall.h (segments, the console,
 * raw thread calls) has no Linux meaning and is not provided.
 *
 * Entry points: sys_milli, sys_micro, sys_sleep, threadswitch, sys_null,
 * sys_getpid.
 */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/syscall.h>

#include "host/amunix_impl.h"

unsigned long
sys_milli(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000UL +
	       (unsigned long)ts.tv_nsec / 1000000UL;
}

errstat
sys_micro(unsigned long long *us)
{
	struct timespec ts;

	if (us == NULL)
		return STD_ARGBAD;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	*us = (unsigned long long)ts.tv_sec * 1000000ULL +
	      (unsigned long long)ts.tv_nsec / 1000ULL;
	return STD_OK;
}

/* Sleep ms milliseconds; the other Amoeba threads run meanwhile. */
errstat
sys_sleep(interval ms)
{
	struct amu_thread *t = amu_self();
	struct timespec dl;

	if (ms < 0)
		return STD_ARGBAD;
	amu_deadline(&dl, ms);
	while (amu_wait(t, &dl) == 0)	/* nobody notifies t: spurious */
		;
	return STD_OK;
}

/* Let the other Amoeba threads that can run have the CPU first. */
void
threadswitch(void)
{
	struct amu_thread *t = amu_self();

	amu_big_unlock(t);
	sched_yield();
	amu_big_lock(t);
	amu_sig_check(t);
}

errstat
sys_null(void)
{
	return STD_OK;
}

long
sys_getpid(void)
{
	return (long)getpid();
}
