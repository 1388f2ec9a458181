/*
 * user_impl.h - private declarations shared by the libamoeba user files.
 */
#ifndef LIBAMOEBA_USER_IMPL_H
#define LIBAMOEBA_USER_IMPL_H

#include <reent.h>
#include <exception.h>

#define VX_NSIGCATCH	16		/* sig_catch entries per thread */

#define VX_THREAD_MAGIC	0x54687264	/* "Thrd" */

/*
 * One per thread.  The main thread's is static; the others sit at the
 * bottom of the malloc'd block that also holds the thread's stack, and
 * the kernel keeps a pointer to it as the thread's local word.  Only the
 * thread itself touches its block, except t_done and t_next (under the
 * thread-list mutex in thread.c).
 */
struct vx_thread {
	unsigned t_magic;		/* VX_THREAD_MAGIC */
	int t_index;			/* 0 for main, then 1, 2, ... */
	void (*t_func)(char *, int);	/* start function */
	char *t_param;			/* its parameter block */
	int t_psize;			/* and size */
	struct _reent *t_reent;		/* newlib state: &t_reent_store */
	char **t_glocal;		/* thread_alloc blocks, by id - 1 */
	int t_nglocal;			/* entries in t_glocal */
	volatile int t_done;		/* set by the exiting thread */
	struct vx_thread *t_next;	/* list of started threads */
	sig_vector t_sigvec[VX_NSIGCATCH]; /* its catchers (the kernel reads it) */
	int t_nsig;			/* entries in t_sigvec */
	struct _reent t_reent_store;	/* this thread's struct _reent */
};

/* Non-zero once a second thread was started. */
extern volatile int vx_threads_started;

struct vx_thread *vx_thread_cur(void);
void vx_exitthread(volatile int *done, int status)
	__attribute__((noreturn));
void vx_start(long *sp) __attribute__((noreturn));
void vx_lock_setup(void);
void vx_glue_setup(void);

#endif /* LIBAMOEBA_USER_IMPL_H */
