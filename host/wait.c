/*
 * wait.c - libamunix's sleep and wakeup for the protocols
 * (flip_port_sleep, flip_port_wakeup of flip/flip_port.h) and who reads
 * the networks: a sleeping thread reads them itself.
 *
 * There is no receive thread.  Of the threads asleep in the stack
 * (sleepers: a trans waiting for its reply, a getreq for its request, a
 * group call) one at a time is the reader: it waits in poll(2) on every
 * link and feeds what comes to FLIP (flip_net_input) until its own call
 * is done, then returns without any hand-off.  A frame that completes
 * another sleeper's call wakes that one on its own condition variable,
 * and the reader then leaves the reading to it (the reader's role
 * follows the thread the traffic is for, so a server thread in getreq
 * and a client in trans each read their own frames: a null RPC between
 * two processes costs two wakeups, the frames' own).  A wakeup of the
 * reader from another thread (the ticker's timers, a local trans, a
 * signal: amu_sig_wake) kicks it out of poll through an eventfd.
 *
 * While no thread sleeps in the stack (every Amoeba thread runs user
 * code or waits for the CPU), nobody needs to read at once: the 10 ms
 * ticker drains the links (amu_drain), so protocol traffic (ACKs,
 * probes, locates) is answered within a tick.  A thread that blocks
 * outside the stack (amunix_leave, a mutex, sys_sleep, thread_exit)
 * calls amu_reader_vacant, which hands the reading to a sleeper.
 *
 * Concurrency: everything here is under amu_net; the reader gives it up
 * only inside poll.  Frames are read only by the holder of amu_net.
 *
 * Entry points: flip_port_sleep, flip_port_wakeup; amu_wait_init,
 * amu_drain, amu_reader_vacant, amu_idle, amu_links_changed,
 * amu_sig_wake for libamunix.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "flip/flip_port.h"
#include "host/amunix_impl.h"

#define DRAIN_MAX	256	/* frames the ticker reads per tick */

struct sleeper {			/* a thread in flip_port_sleep */
	const void *obj;		/* the call object it sleeps on */
	int woken;			/* flip_port_wakeup(obj) came */
	int sig;			/* its thread was signalled */
	pthread_cond_t *cv;		/* its thread's own variable */
	struct sleeper *next;		/* sleepers list */
};

/* All under amu_net. */
static struct sleeper *sleepers;	/* every thread asleep in the stack */
static struct sleeper *reader;		/* the one reading the links */
static int handoff;			/* the reader's frame woke another */
static int kickfd = -1;			/* eventfd: wakes the reader */
static uint8_t frame[2048];		/* the frame being read */

static __thread pthread_cond_t own_cv = PTHREAD_COND_INITIALIZER;
static __thread struct sleeper *me;	/* this thread's, while asleep */

int
amu_wait_init(void)
{
	kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return kickfd < 0 ? -1 : 0;
}

static void
kick(void)
{
	uint64_t one = 1;

	if (write(kickfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		fprintf(stderr, "amunix: cannot wake the reader\n");
}

/* Caller holds amu_net. */
void
flip_port_wakeup(void *obj)
{
	int by_reader = reader != NULL && me == reader;

	for (struct sleeper *s = sleepers; s != NULL; s = s->next) {
		if (s->obj != obj || s->woken)
			continue;
		s->woken = 1;
		if (s == reader) {
			if (!by_reader)
				kick();
			continue;
		}
		pthread_cond_signal(s->cv);
		if (by_reader)
			handoff = 1;
	}
}

void
amu_sig_wake(struct amu_thread *t)
{
	struct sleeper *s = t->asleep;

	if (s == NULL) {
		t->sigkick = 1;		/* its next sleep ends at once */
		return;
	}
	if (s->sig)
		return;
	s->sig = 1;
	if (s != reader)
		pthread_cond_signal(s->cv);
	else if (me != reader)
		kick();
}

/*
 * Caller holds amu_net: if nobody reads the links, ask a sleeper whose
 * call is not done yet to (a thread is about to block outside the
 * stack, so nothing else would until the next tick).
 */
void
amu_reader_vacant(void)
{
	if (reader != NULL)
		return;
	for (struct sleeper *s = sleepers; s != NULL; s = s->next)
		if (!s->woken) {
			pthread_cond_signal(s->cv);
			return;
		}
}

void
amu_idle(void)
{
	pthread_mutex_lock(&amu_net);
	amu_reader_vacant();
	pthread_mutex_unlock(&amu_net);
}

/* Caller holds amu_net: a link was added; the reader must poll it too. */
void
amu_links_changed(void)
{
	if (reader != NULL)
		kick();
	else
		amu_reader_vacant();
}

/* The pollable links into pf (their indexes in which); their number. */
static int
poll_set(struct pollfd *pf, int *which)
{
	int n = 0;

	for (int i = 0; i < amu_nlinks; i++) {
		if (amu_links[i].dead)
			continue;
		pf[n].fd = amu_links[i].fd;
		pf[n].events = POLLIN;
		pf[n].revents = 0;
		which[n++] = i;
	}
	return n;
}

/* Feed one frame of each link poll found ready to FLIP; frames read. */
static int
input_ready(const struct pollfd *pf, const int *which, int n)
{
	int got = 0;

	for (int i = 0; i < n; i++) {
		struct amu_link *l = &amu_links[which[i]];
		long len;

		if (!(pf[i].revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		len = l->recv(l, frame, sizeof(frame));
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "amunix: %s link: receive failed\n",
				l->kind);
			l->dead = 1;		/* poll it no more */
			continue;
		}
		amu_link_input(l, frame, len);
		got++;
		/* a burst: what else waits, without polling again
		 * (unless the reader's call is done: it leaves now) */
		while (l->recv_more != NULL && !l->dead && got < DRAIN_MAX &&
		       (reader == NULL ||
			(!reader->woken && !reader->sig && !handoff)) &&
		       (len = l->recv_more(l, frame, sizeof(frame))) > 0) {
			amu_link_input(l, frame, len);
			got++;
		}
	}
	return got;
}

/* The ticker, caller holds amu_net: read what waits if nobody reads. */
void
amu_drain(void)
{
	struct pollfd pf[AMU_NLINK];
	int which[AMU_NLINK], n, total = 0;

	if (reader != NULL || kickfd < 0)
		return;
	do {
		n = poll_set(pf, which);
		if (n == 0 || poll(pf, (nfds_t)n, 0) <= 0)
			return;
	} while ((total += input_ready(pf, which, n)) < DRAIN_MAX);
}

/*
 * Caller holds amu_net and nobody reads: read the links as the reader
 * until s's call is done, or a frame was for another sleeper (handoff),
 * giving up amu_net only inside poll.
 */
static void
read_links(struct sleeper *s)
{
	struct pollfd pf[AMU_NLINK + 1];
	int which[AMU_NLINK], n, r;
	uint64_t v;

	reader = s;
	handoff = 0;
	while (!s->woken && !s->sig && !handoff) {
		n = poll_set(pf, which);
		pf[n].fd = kickfd;
		pf[n].events = POLLIN;
		pf[n].revents = 0;
		pthread_mutex_unlock(&amu_net);
		r = poll(pf, (nfds_t)n + 1, -1);
		pthread_mutex_lock(&amu_net);
		if (r <= 0)
			continue;		/* EINTR */
		if (pf[n].revents & POLLIN)
			(void)!read(kickfd, &v, sizeof(v));
		input_ready(pf, which, n);
	}
	reader = NULL;
}

/* Take the CPU back after a sleep, caller holds amu_net (lock order). */
static void
big_relock(struct amu_thread *t)
{
	if (pthread_mutex_trylock(&amu_big) != 0) {
		pthread_mutex_unlock(&amu_net);
		pthread_mutex_lock(&amu_big);
		pthread_mutex_lock(&amu_net);
	}
	t->holds_big = 1;
}

/*
 * Caller holds amu_net (and amu_big if it is an Amoeba thread, which it
 * gives up while asleep).  1 when the thread was signalled (signal.c),
 * at once if that happened since its last sleep; the host has no thread
 * kill: never -1.
 */
int
flip_port_sleep(void *obj)
{
	struct amu_thread *t = amu_cur;
	int cpu = t != NULL && t->holds_big, may_read = 1;
	struct sleeper s = { .obj = obj, .cv = &own_cv, .next = sleepers };
	struct sleeper **pp;

	if (t != NULL && t->sigkick) {
		t->sigkick = 0;
		return 1;
	}
	if (cpu)
		amu_big_unlock(t);
	sleepers = &s;
	me = &s;
	if (t != NULL)
		t->asleep = &s;
	while (!s.woken && !s.sig) {
		if (reader == NULL && may_read && kickfd >= 0 &&
		    amu_nlinks > 0) {
			read_links(&s);
			may_read = 0;	/* after a handoff: until called */
			continue;
		}
		pthread_cond_wait(s.cv, &amu_net);
		may_read = 1;
	}
	me = NULL;
	if (t != NULL)
		t->asleep = NULL;
	for (pp = &sleepers; *pp != &s; pp = &(*pp)->next)
		;
	*pp = s.next;
	if (cpu)
		big_relock(t);
	return s.sig;
}
