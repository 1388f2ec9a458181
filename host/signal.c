/*
 * signal.c - Amoeba's signals for Linux programs (module/signals.h):
 * sig_catch, sig_raise, sig_block, sig_unblock, sig_uniq, sig_mu_*, with
 * the kernel's rules for RPC: a signalled thread asleep in trans stops
 * locating (RPC_ABORTED) or has the server serving it told (SIG_TRANS,
 * over the network as FLIP-RPC's ENQUIRE with the SIGTRANS flag); one in
 * getreq gets RPC_ABORTED.  A server thread of this process whose
 * client was signalled gets SIG_TRANS (flip_port_sigtrans), and so does
 * its own trans in progress, which passes it on.
 *
 * Catchers run in their own thread, at the points where an Amoeba thread
 * of the non-preemptive model may be switched: on return from trans,
 * getreq, putrep and the other RPC calls, from a wait for a mutex, a
 * semaphore or sys_sleep (the wait goes on after the catcher), at
 * threadswitch, and in sig_raise and sig_unblock for the calling thread.
 * A thread running user code is not interrupted (there is no preemption
 * to do it with): its catcher runs at its next such point.  The catcher
 * gets a zeroed thread_ustate (no i386 registers on Linux).  Signals of
 * other processes (pro_signal) need a process server: not on Linux.
 *
 * Entry points: the module/signals.h calls; amu_thread_add,
 * amu_thread_del, amu_sig_deliver, flip_port_sigtrans for libamunix.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/mutex.h>
#include <module/signals.h>
#include <thread.h>

#include "flip/flip_port.h"
#include "host/amunix_impl.h"

typedef void (*catcher_fn)(signum, thread_ustate *, void *);

struct amu_thread *amu_threads;
static long sig_next = 0xFFFF;		/* sig_uniq: [2^16, 2^31) */

void
amu_thread_add(struct amu_thread *t)
{
	pthread_mutex_lock(&amu_net);
	t->next = amu_threads;
	amu_threads = t;
	pthread_mutex_unlock(&amu_net);
}

void
amu_thread_del(struct amu_thread *t)
{
	struct amu_thread **pp;

	pthread_mutex_lock(&amu_net);
	for (pp = &amu_threads; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&amu_net);
}

/* t's catcher of sig, or NULL; caller holds amu_net. */
static struct amu_catch *
catcher_of(struct amu_thread *t, signum sig)
{
	for (int i = 0; i < t->ncatch; i++)
		if (t->catches[i].sig == sig)
			return &t->catches[i];
	return NULL;
}

/*
 * Caller holds amu_net: sig for t.  Pending if t catches it (a full
 * queue drops it, as a second signal before delivery is on Amoeba); a
 * sleep of t in the stack ends (or its next one) either way, as the
 * kernel's thread_signal does.
 */
static void
post(struct amu_thread *t, signum sig)
{
	if (catcher_of(t, sig) != NULL && t->npend < AMU_NPEND) {
		t->pend[t->npend++] = sig;
		__atomic_store_n(&t->sigflag, 1, __ATOMIC_RELEASE);
	}
	amu_sig_wake(t);
}

/* The client of the request that call object obj serves was signalled. */
void
flip_port_sigtrans(void *obj)
{
	for (struct amu_thread *t = amu_threads; t != NULL; t = t->next)
		if (t->call == obj)
			post(t, SIG_TRANS);
}

void
amu_sig_deliver(struct amu_thread *t)
{
	thread_ustate us;
	struct amu_catch *c;
	catcher_fn fn;
	void *extra;
	signum sig;

	while (t->sigblock == 0 &&
	       __atomic_load_n(&t->sigflag, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&amu_net);
		fn = NULL;
		extra = NULL;
		sig = 0;
		if (t->npend > 0) {
			sig = t->pend[0];
			memmove(t->pend, t->pend + 1,
				(size_t)--t->npend * sizeof(t->pend[0]));
			if ((c = catcher_of(t, sig)) != NULL) {
				fn = (catcher_fn)c->fn;
				extra = c->extra;
			}
		}
		t->sigkick = 0;
		__atomic_store_n(&t->sigflag, t->npend > 0, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&amu_net);
		if (fn != NULL) {
			memset(&us, 0, sizeof(us));
			fn(sig, &us, extra);
		}
	}
}

errstat
sig_catch(signum sig, catcher_fn catcher, void *extra)
{
	struct amu_thread *t = amu_self();
	struct amu_catch *c;
	errstat r = STD_OK;

	if (sig == EXC_NONE)
		return STD_ARGBAD;
	pthread_mutex_lock(&amu_net);
	c = catcher_of(t, sig);
	if (catcher == NULL) {
		if (c != NULL)
			*c = t->catches[--t->ncatch];
	} else if (c == NULL && t->ncatch == AMU_NCATCH) {
		r = STD_NOSPACE;
	} else {
		if (c == NULL)
			c = &t->catches[t->ncatch++];
		c->sig = sig;
		c->fn = (void (*)(long, void *, void *))catcher;
		c->extra = extra;
	}
	pthread_mutex_unlock(&amu_net);
	return r;
}

/* In every thread of the process that catches sig; the caller's own
 * catcher runs before sig_raise returns. */
void
sig_raise(signum sig)
{
	struct amu_thread *self = amu_self();

	pthread_mutex_lock(&amu_net);
	for (struct amu_thread *t = amu_threads; t != NULL; t = t->next)
		if (catcher_of(t, sig) != NULL)
			post(t, sig);
	pthread_mutex_unlock(&amu_net);
	/* threads waiting under amu_big (mutexes, semaphores, sleeps) */
	for (int i = 0; i < AMU_NCV; i++)
		pthread_cond_broadcast(&amu_big_cv[i]);
	amu_sig_check(self);
}

void
sig_block(void)
{
	amu_self()->sigblock++;
}

void
sig_unblock(void)
{
	struct amu_thread *t = amu_self();

	if (t->sigblock > 0)
		t->sigblock--;
	amu_sig_check(t);
}

signum
sig_uniq(void)
{
	return __atomic_add_fetch(&sig_next, 1, __ATOMIC_SEQ_CST);
}

void
sig_mu_lock(mutex *mu)
{
	sig_block();
	mu_lock(mu);
}

int
sig_mu_trylock(mutex *mu, interval ms)
{
	int r;

	sig_block();
	r = mu_trylock(mu, ms);
	if (r != 0)
		sig_unblock();
	return r;
}

void
sig_mu_unlock(mutex *mu)
{
	mu_unlock(mu);
	sig_unblock();
}
