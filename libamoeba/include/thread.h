/*
 * thread.h - Amoeba threads inside one process.
 *
 * thread_newthread(func, stacksize, param, psize) starts a thread running
 * func(param, psize) on a stack of stacksize bytes taken from malloc; it
 * returns non-zero on success and 0 on failure.  The thread ends when func
 * returns or calls thread_exit(); its stack is freed by a later
 * thread_newthread.  thread_param() gives the running thread its param.
 * thread_alloc(&id, size) returns the calling thread's private, zeroed
 * block of size bytes for the module id (*id == 0 allocates a new id), the
 * same block on every later call from that thread; NULL when out of
 * memory.  Each thread also has its own newlib struct _reent (errno, ...).
 *
 * Priorities as Amoeba numbers them: 0 is the lowest, the value from
 * thread_get_max_priority the highest (VX has three: LOW 0, NORM 1, HIGH
 * 2); thread_set_priority clamps to that range.  Threads of a process do
 * not preempt each other until thread_enable_preemption; threadswitch
 * lets the others run.  (module/syscall.h has the raw VX calls.)
 */
#ifndef THREAD_H
#define THREAD_H

#include <amoeba.h>

#define MAX_THREAD_ALLOC	16	/* thread_alloc ids a program may use */

int thread_newthread(void (*func)(char *param, int psize), int stacksize,
		     char *param, int psize);
int thread_exit(void) __attribute__((noreturn));
/* Amoeba's low-level exit: *done = 1 once gone; frees nothing (NULL: thread_exit). */
void exitthread(long *done) __attribute__((noreturn));
char *thread_param(int *psize);
char *thread_alloc(int *id, int size);
/* Small number naming the calling thread in this process: main is 0. */
int thread_self(void);

void threadswitch(void);
void thread_enable_preemption(void);
void thread_get_max_priority(long *max);
void thread_set_priority(long newprio, long *old);

#endif /* THREAD_H */
