/*
 * module/mutex.h - Amoeba mutexes for the threads of one process.
 *
 * A mutex is one word: 0 free, 1 locked, 2 locked with (possible)
 * waiters.  The uncontended paths are a single atomic instruction in user
 * space; a contended lock sleeps in SYS_MU_WAIT on the word and unlock
 * wakes one sleeper with SYS_MU_WAKE.  Mutexes are not recursive and any
 * thread may unlock.  A zeroed mutex is a valid free mutex.
 */
#ifndef MODULE_MUTEX_H
#define MODULE_MUTEX_H

#include <amoeba.h>

/* mutex (amoeba.h) is a long: 0 free, 1 locked, 2 locked with waiters. */
#define MU_INITIALIZER	0

void mu_init(mutex *mu);
void mu_lock(mutex *mu);
/* Wait at most ms milliseconds (ms < 0: no limit); 0 if locked, else -1. */
int mu_trylock(mutex *mu, interval ms);
void mu_unlock(mutex *mu);

#endif /* MODULE_MUTEX_H */
