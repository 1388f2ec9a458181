/*
 * semaphore.c - Amoeba counting semaphores (semaphore.h).
 *
 * sema_down takes one unit with compare-and-swap; when the level is 0 it
 * counts itself in s_waiters and sleeps in SYS_MU_WAIT until the level
 * word changes from 0.  sema_up adds a unit and wakes a sleeper if one is
 * counted.  The waiter registers before its final check of the level, so
 * an up that it missed either sees the waiter or changes the level first.
 */
#include <semaphore.h>
#include <module/syscall.h>

void
sema_init(semaphore *s, int level)
{
	s->s_level = level < 0 ? 0 : level;
	s->s_waiters = 0;
}

int
sema_level(semaphore *s)
{
	return __atomic_load_n(&s->s_level, __ATOMIC_ACQUIRE);
}

/* Take one unit if there is one: 0 on success, -1 when the level is 0. */
static int
sema_take(semaphore *s)
{
	int c = __atomic_load_n(&s->s_level, __ATOMIC_ACQUIRE);

	while (c > 0) {
		if (__atomic_compare_exchange_n(&s->s_level, &c, c - 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			return 0;
	}
	return -1;
}

void
sema_up(semaphore *s)
{
	sema_mup(s, 1);
}

void
sema_mup(semaphore *s, int n)
{
	if (n <= 0)
		return;
	__atomic_fetch_add(&s->s_level, n, __ATOMIC_RELEASE);
	if (__atomic_load_n(&s->s_waiters, __ATOMIC_SEQ_CST) > 0)
		sys_mu_wake(&s->s_level, n);
}

int
sema_trydown(semaphore *s, interval ms)
{
	unsigned long start = 0;
	long left = -1;
	int ret = -1;

	if (sema_take(s) == 0)
		return 0;
	if (ms == 0)
		return -1;
	if (ms > 0)
		start = sys_milli();
	__atomic_fetch_add(&s->s_waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (sema_take(s) == 0) {
			ret = 0;
			break;
		}
		if (ms > 0) {
			left = ms - (long)(sys_milli() - start);
			if (left <= 0)
				break;
		}
		sys_mu_wait(&s->s_level, 0, left);
	}
	__atomic_fetch_sub(&s->s_waiters, 1, __ATOMIC_SEQ_CST);
	return ret;
}

void
sema_down(semaphore *s)
{
	sema_trydown(s, -1);
}

void
sema_mdown(semaphore *s, int n)
{
	while (n-- > 0)
		sema_down(s);
}
