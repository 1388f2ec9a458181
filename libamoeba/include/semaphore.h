/*
 * semaphore.h - Amoeba counting semaphores for the threads of a process.
 *
 * The count lives in user memory; sema_down sleeps in SYS_MU_WAIT on the
 * count while it is 0 and sema_up wakes one sleeper.
 */
#ifndef SEMAPHORE_H
#define SEMAPHORE_H

#include <amoeba.h>

typedef struct {
	volatile int s_level;		/* the count, never negative */
	volatile int s_waiters;		/* threads sleeping in sema_down */
} semaphore;

void sema_init(semaphore *s, int level);
int sema_level(semaphore *s);
void sema_up(semaphore *s);
void sema_down(semaphore *s);
/* Wait at most ms milliseconds (ms < 0: no limit); 0 on success, else -1. */
int sema_trydown(semaphore *s, interval ms);
void sema_mup(semaphore *s, int n);
void sema_mdown(semaphore *s, int n);

#endif /* SEMAPHORE_H */
