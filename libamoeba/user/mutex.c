/*
 * mutex.c - Amoeba mutexes (module/mutex.h) on SYS_MU_WAIT/SYS_MU_WAKE.
 *
 * The word is 0 (free), 1 (locked) or 2 (locked, maybe waiters).  Locking
 * tries 0 -> 1; when that fails the locker marks the word 2 and sleeps in
 * the kernel until the word is no longer 2.  Unlocking from 2 clears the
 * word and wakes one sleeper.  The kernel checks *addr == expected before
 * it sleeps, so a wake between the check and the sleep is never lost.
 */
#include <module/mutex.h>
#include <module/syscall.h>

/* The mutex as the int word the kernel's futex calls take (i386: same size). */
static inline volatile int *
mu_word(mutex *mu)
{
	_Static_assert(sizeof(mutex) == sizeof(int), "mutex is one word");
	return (volatile int *)mu;
}

static inline int
mu_cas(volatile int *p, int old, int new)
{
	__atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_RELAXED);
	return old;
}

static inline int
mu_xchg(volatile int *p, int v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE);
}

void
mu_init(mutex *mu)
{
	*mu_word(mu) = 0;
}

void
mu_lock(mutex *mu)
{
	int c;

	c = mu_cas(mu_word(mu), 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = mu_xchg(mu_word(mu), 2);
	while (c != 0) {
		sys_mu_wait(mu_word(mu), 2, -1);
		c = mu_xchg(mu_word(mu), 2);
	}
}

int
mu_trylock(mutex *mu, interval ms)
{
	unsigned long start;
	long left;
	int c;

	c = mu_cas(mu_word(mu), 0, 1);
	if (c == 0)
		return 0;
	if (ms == 0)
		return -1;
	if (ms < 0) {
		mu_lock(mu);
		return 0;
	}
	start = sys_milli();
	if (c != 2)
		c = mu_xchg(mu_word(mu), 2);
	while (c != 0) {
		left = ms - (long)(sys_milli() - start);
		if (left <= 0)
			return -1;
		sys_mu_wait(mu_word(mu), 2, left);
		c = mu_xchg(mu_word(mu), 2);
	}
	return 0;
}

void
mu_unlock(mutex *mu)
{
	if (__atomic_fetch_sub(mu_word(mu), 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(mu_word(mu), 0, __ATOMIC_RELEASE);
		sys_mu_wake(mu_word(mu), 1);
	}
}
