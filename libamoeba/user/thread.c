/*
 * thread.c - Amoeba threads (thread.h) and newlib's per-thread state.
 *
 * A new thread gets a malloc'd struct vx_thread and a stack of its own:
 * a segment in the stack region with an unmapped guard page below it, so
 * a thread that overruns its stack faults (and the process ends with a
 * fault report) instead of overwriting other memory.  Stacks of finished
 * threads are kept mapped and reused.  SYS_NEWTHREAD starts the thread in
 * thread_start() with its struct as the local word; SYS_GETLOCAL finds it
 * again (0 means the main thread, whose struct is static).  A finished
 * thread sets t_done in its last instruction before INT 53;
 * thread_newthread frees such structs and frees their stacks for reuse.  thread_live counts the threads that have not ended,
 * so the last one can end the process through exit().  The list of
 * started threads is protected by thread_list_mu.  __getreent() gives newlib each thread's struct _reent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/syscall.h>
#include "user_impl.h"

#define THREAD_MIN_STACK	4096
#define PAGE			4096u
#define STACK_LO		0xA0000000u	/* the thread-stack region */
#define STACK_HI		0xB8000000u
#define NSTACK			64		/* stacks kept at once */

/* A thread stack: [va - PAGE, va) is the unmapped guard. */
struct stack_slot {
	unsigned long va;		/* lowest stack address; 0 = none */
	unsigned long len;		/* bytes, a page multiple */
	struct vx_thread *owner;	/* thread using it, NULL = free */
};
static struct stack_slot stacks[NSTACK];	/* under thread_list_mu */
static unsigned long stack_next = STACK_LO;	/* next unused address */

volatile int vx_threads_started;
static volatile int thread_live = 1;	/* threads not yet ended */

static struct vx_thread thread_main = {
	.t_magic = VX_THREAD_MAGIC,
};
static mutex thread_list_mu;
static struct vx_thread *thread_list;	/* started threads */
static int thread_next_index = 1;
static int thread_next_glocal = 1;	/* next thread_alloc module id */

struct vx_thread *
vx_thread_cur(void)
{
	struct vx_thread *t;

	if (!vx_threads_started)
		return &thread_main;
	t = sys_getlocal();
	if (t == NULL || VX_IS_ERR(t) || t->t_magic != VX_THREAD_MAGIC)
		return &thread_main;
	return t;
}

struct _reent *
__getreent(void)
{
	struct vx_thread *t = vx_thread_cur();

	return t->t_reent ? t->t_reent : _impure_ptr;
}

int
thread_self(void)
{
	return vx_thread_cur()->t_index;
}

char *
thread_param(int *psize)
{
	struct vx_thread *t = vx_thread_cur();

	if (psize != NULL)
		*psize = t->t_psize;
	return t->t_param;
}

/*
 * End the calling thread.  The last thread to end ends the process as
 * exit(0) does (atexit handlers, stdio flushed); the main thread may end
 * first and leave the others running.
 */
int
thread_exit(void)
{
	struct vx_thread *t = vx_thread_cur();
	int i;

	if (__atomic_sub_fetch(&thread_live, 1, __ATOMIC_SEQ_CST) == 0)
		exit(0);
	for (i = 0; i < t->t_nglocal; i++)
		free(t->t_glocal[i]);
	free(t->t_glocal);
	t->t_glocal = NULL;
	t->t_nglocal = 0;
	if (t == &thread_main) {
		fflush(NULL);
		vx_exitthread(NULL, 0);
	}
	vx_exitthread(&t->t_done, 0);
}

/*
 * exitthread (Amoeba's low-level call): end the calling thread; *done,
 * when given, is set to 1 by the kernel once the thread has gone.  As in
 * Amoeba it frees nothing: the thread's stack and blocks stay (with a
 * NULL done it is thread_exit, which frees them).
 */
void
exitthread(long *done)
{
	struct vx_thread *t = vx_thread_cur();

	if (done == NULL)
		thread_exit();
	if (__atomic_sub_fetch(&thread_live, 1, __ATOMIC_SEQ_CST) == 0) {
		*done = 1;
		exit(0);
	}
	if (t == &thread_main)
		fflush(NULL);
	vx_exitthread((volatile int *)done, 0);
}

/* First code of every new thread; ESP is the top of its stack - 4. */
static void
thread_start(void)
{
	struct vx_thread *t = sys_getlocal();

	t->t_func(t->t_param, t->t_psize);
	thread_exit();
}

/*
 * A stack of at least len bytes for t: a free one that is large enough,
 * else a new segment above a guard page.  Its top, or 0 when the region
 * or the process's mappings are used up.  Caller holds thread_list_mu.
 */
static unsigned long
stack_get(struct vx_thread *t, unsigned long len)
{
	struct stack_slot *free_slot = NULL;
	int i;

	len = (len + PAGE - 1) & ~(unsigned long)(PAGE - 1);
	for (i = 0; i < NSTACK; i++) {
		if (stacks[i].va && !stacks[i].owner && stacks[i].len >= len) {
			stacks[i].owner = t;
			return stacks[i].va + stacks[i].len;
		}
		if (!stacks[i].va && free_slot == NULL)
			free_slot = &stacks[i];
	}
	if (free_slot == NULL || len > STACK_HI - PAGE - stack_next ||
	    seg_map(NULL, stack_next + PAGE, len, VX_MAP_NEW | VX_MAP_RW) < 0)
		return 0;
	free_slot->va = stack_next + PAGE;
	free_slot->len = len;
	free_slot->owner = t;
	stack_next += PAGE + len;
	return free_slot->va + len;
}

/* t is gone: its stack may serve another thread.  Holds thread_list_mu. */
static void
stack_put(struct vx_thread *t)
{
	for (int i = 0; i < NSTACK; i++)
		if (stacks[i].owner == t)
			stacks[i].owner = NULL;
}

/* Free the structs of finished threads.  Caller holds thread_list_mu. */
static void
thread_reap(void)
{
	struct vx_thread **pp = &thread_list, *t;

	while ((t = *pp) != NULL) {
		if (__atomic_load_n(&t->t_done, __ATOMIC_ACQUIRE)) {
			*pp = t->t_next;
			stack_put(t);
			free(t);
		} else {
			pp = &t->t_next;
		}
	}
}

static struct vx_thread *
thread_block(void (*func)(char *, int), char *param, int psize)
{
	struct vx_thread *t;

	t = malloc(sizeof(*t));
	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->t_magic = VX_THREAD_MAGIC;
	t->t_func = func;
	t->t_param = param;
	t->t_psize = psize;
	_REENT_INIT_PTR(&t->t_reent_store);
	t->t_reent = &t->t_reent_store;
	return t;
}

int
thread_newthread(void (*func)(char *, int), int stacksize, char *param,
		 int psize)
{
	struct vx_thread *t;
	unsigned long sp;
	long r;

	if (func == NULL || stacksize < 0)
		return 0;
	if (stacksize < THREAD_MIN_STACK)
		stacksize = THREAD_MIN_STACK;
	mu_lock(&thread_list_mu);
	thread_reap();
	t = thread_block(func, param, psize);
	if (t == NULL) {
		mu_unlock(&thread_list_mu);
		return 0;
	}
	sp = stack_get(t, (unsigned long)stacksize) & ~15UL;
	if (sp == 0) {
		free(t);
		mu_unlock(&thread_list_mu);
		errno = EAGAIN;
		return 0;
	}
	t->t_index = thread_next_index++;
	vx_threads_started = 1;
	__atomic_add_fetch(&thread_live, 1, __ATOMIC_SEQ_CST);
	r = sys_newthread(thread_start, (void *)(sp - 4), t);
	if (r < 0) {
		__atomic_sub_fetch(&thread_live, 1, __ATOMIC_SEQ_CST);
		stack_put(t);
		free(t);
		mu_unlock(&thread_list_mu);
		errno = EAGAIN;
		return 0;
	}
	t->t_next = thread_list;
	thread_list = t;
	mu_unlock(&thread_list_mu);
	return 1;
}

/* Make room for module id (1-based) in t's table: 0, or -1 on failure. */
static int
thread_glocal_grow(struct vx_thread *t, int id)
{
	char **n;
	int i;

	if (id <= t->t_nglocal)
		return 0;
	n = realloc(t->t_glocal, (size_t)id * sizeof(*n));
	if (n == NULL)
		return -1;
	for (i = t->t_nglocal; i < id; i++)
		n[i] = NULL;
	t->t_glocal = n;
	t->t_nglocal = id;
	return 0;
}

char *
thread_alloc(int *id, int size)
{
	struct vx_thread *t = vx_thread_cur();

	if (id == NULL || size < 0)
		return NULL;
	if (*id == 0) {
		mu_lock(&thread_list_mu);
		if (*id == 0)
			*id = thread_next_glocal++;
		mu_unlock(&thread_list_mu);
	}
	if (*id < 0 || thread_glocal_grow(t, *id) != 0)
		return NULL;
	if (t->t_glocal[*id - 1] == NULL)
		t->t_glocal[*id - 1] = calloc(1, size ? (size_t)size : 1);
	return t->t_glocal[*id - 1];
}
