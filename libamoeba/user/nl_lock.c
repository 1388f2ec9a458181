/*
 * nl_lock.c - newlib's retargetable locks on Amoeba mutexes.
 *
 * newlib is configured with --enable-newlib-retargetable-locking, so it
 * calls these for malloc, stdio streams, atexit, the environment and the
 * time-zone data.  Every lock is recursive-capable: it remembers its
 * owner (thread_self() + 1) and a depth.  All static locks newlib expects
 * are defined here, and vx_lock_setup() (called from vx_start) pulls this
 * file into every link, so libc's single-threaded dummies never are.
 */
#include <stdlib.h>
#include <sys/lock.h>
#include <module/mutex.h>
#include <thread.h>
#include "user_impl.h"

struct __lock {
	mutex l_mu;			/* the lock itself */
	int l_owner;			/* thread_self() + 1 of the holder */
	int l_depth;			/* recursive depth of the holder */
};

struct __lock __lock___sinit_recursive_mutex;
struct __lock __lock___sfp_recursive_mutex;
struct __lock __lock___atexit_recursive_mutex;
struct __lock __lock___at_quick_exit_mutex;
struct __lock __lock___malloc_recursive_mutex;
struct __lock __lock___env_recursive_mutex;
struct __lock __lock___tz_mutex;
struct __lock __lock___dd_hash_mutex;
struct __lock __lock___arc4random_mutex;

void
vx_lock_setup(void)
{
}

void
__retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(struct __lock));
}

void
__retarget_lock_init_recursive(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(struct __lock));
}

void
__retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void
__retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

/* Take lock, waiting at most ms (< 0: no limit); 0 on success. */
static int
nl_lock_take(_LOCK_T lock, interval ms)
{
	int me;

	if (lock == NULL)
		return 0;
	me = thread_self() + 1;
	if (lock->l_owner == me) {
		lock->l_depth++;
		return 0;
	}
	if (mu_trylock(&lock->l_mu, ms) != 0)
		return -1;
	lock->l_owner = me;
	lock->l_depth = 1;
	return 0;
}

static void
nl_lock_give(_LOCK_T lock)
{
	if (lock == NULL || lock->l_depth <= 0)
		return;
	if (--lock->l_depth == 0) {
		lock->l_owner = 0;
		mu_unlock(&lock->l_mu);
	}
}

void
__retarget_lock_acquire(_LOCK_T lock)
{
	nl_lock_take(lock, -1);
}

void
__retarget_lock_acquire_recursive(_LOCK_T lock)
{
	nl_lock_take(lock, -1);
}

int
__retarget_lock_try_acquire(_LOCK_T lock)
{
	return nl_lock_take(lock, 0);
}

int
__retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return nl_lock_take(lock, 0);
}

void
__retarget_lock_release(_LOCK_T lock)
{
	nl_lock_give(lock);
}

void
__retarget_lock_release_recursive(_LOCK_T lock)
{
	nl_lock_give(lock);
}
