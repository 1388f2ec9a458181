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
 */
#ifndef THREAD_H
#define THREAD_H

#include <amoeba.h>

int thread_newthread(void (*func)(char *param, int psize), int stacksize,
		     char *param, int psize);
void thread_exit(void) __attribute__((noreturn));
char *thread_param(int *psize);
char *thread_alloc(int *id, int size);
/* Small number naming the calling thread in this process: main is 0. */
int thread_self(void);

long thread_get_max_prio(void);
long thread_set_priority(long prio);
long thread_en_preempt(long on);

#endif /* THREAD_H */
