/*
 * sh_stream.c - the stream objects the shell serves to its jobs (see
 * sh_vx.h): a table of byte buffers, SH_NTHREADS server threads on one
 * port answering TTQ_READ, TTQ_TIME_READ, TTQ_WRITE, TTQ_CLOSE,
 * TTQ_STATUS and STD_INFO, and the calls of the main thread.
 *
 * Concurrency: st_lock protects the table and every stream.  A thread
 * that must wait (a read with nothing to read, a write to a full pipe)
 * counts itself in s->waiting and sleeps on s->wake; every change of a
 * stream's state ups the semaphore once per waiter, and waiters check
 * again under the lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <stdcom.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <server/tty/tty.h>

#include "sh_vx.h"

#define SH_NSTREAMS	64		/* streams at a time */
#define SH_NTHREADS	8		/* server threads */
#define SH_REQMAX	(16 * 1024)	/* largest request or reply body */

struct stream {
	int used;			/* in the table */
	port random;			/* check field secret */
	char *buf;			/* unread bytes are buf[off..len) */
	size_t off, len, cap;
	int bounded;			/* a pipe: writers wait when full */
	int writers;			/* writers still running */
	int reader_gone;		/* the reader ended */
	int waiting;			/* threads sleeping on wake */
	int inited;			/* wake initialised (kept on reuse) */
	semaphore wake;
	unsigned long nread, nwritten;	/* for TTQ_STATUS */
};

static mutex st_lock;
static struct stream streams[SH_NSTREAMS];
static port st_get, st_put_port;	/* the server's ports */

/* Wake every thread waiting on s.  Caller holds st_lock. */
static void
st_wakeall(struct stream *s)
{
	if (s->waiting > 0)
		sema_mup(&s->wake, s->waiting);
	s->waiting = 0;
}

/* Sleep until s changes.  Caller holds st_lock; holds it again after. */
static void
st_wait(struct stream *s)
{
	s->waiting++;
	mu_unlock(&st_lock);
	sema_down(&s->wake);
	mu_lock(&st_lock);
}

/* Append n bytes to s.  Caller holds st_lock.  0 or -1 (memory). */
static int
st_append(struct stream *s, const char *p, size_t n)
{
	char *nb;
	size_t cap;

	if (s->off > 0 && s->off == s->len)
		s->off = s->len = 0;
	if (s->len + n > s->cap && s->off > 0) {
		memmove(s->buf, s->buf + s->off, s->len - s->off);
		s->len -= s->off;
		s->off = 0;
	}
	if (s->len + n > s->cap) {
		cap = (s->len + n) * 2 + 1024;
		if ((nb = realloc(s->buf, cap)) == NULL)
			return -1;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->nwritten += n;
	st_wakeall(s);
	return 0;
}

/* The stream a request names, or NULL.  Caller holds st_lock. */
static struct stream *
st_lookup(header *h)
{
	objnum n = prv_number(&h->h_priv);
	rights_bits rights;

	if (n < 0 || n >= SH_NSTREAMS || !streams[n].used ||
	    prv_decode(&h->h_priv, &rights, &streams[n].random) != 0)
		return NULL;
	return &streams[n];
}

static f_size_t
do_read(struct stream *s, header *h, char *buf)
{
	size_t want = h->h_size < SH_REQMAX ? h->h_size : SH_REQMAX, n;

	while (s->off == s->len && s->writers > 0 && want > 0)
		st_wait(s);
	n = s->len - s->off < want ? s->len - s->off : want;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	s->nread += n;
	st_wakeall(s);
	h->h_size = (bufsize)n;
	h->h_extra = n == 0 ? FSE_NOMOREDATA : FSE_MOREDATA;
	h->h_status = STD_OK;
	return 0;
}

static void
do_write(struct stream *s, header *h, const char *buf, f_size_t n)
{
	while (s->bounded && !s->reader_gone &&
	       s->len - s->off >= SH_PIPEMAX)
		st_wait(s);
	if (s->reader_gone) {
		h->h_status = (command)STD_NOTFOUND;
		return;
	}
	if (st_append(s, buf, (size_t)n) < 0) {
		h->h_status = (command)STD_NOMEM;
		return;
	}
	h->h_size = (bufsize)n;
	h->h_offset = n;
	h->h_status = STD_OK;
}

/* One request: the reply's body length in buf. */
static f_size_t
st_handle(header *h, char *buf, f_size_t n)
{
	struct stream *s;
	f_size_t r = 0;

	mu_lock(&st_lock);
	if ((s = st_lookup(h)) == NULL) {
		h->h_status = (command)STD_CAPBAD;
		goto out;
	}
	switch (h->h_command) {
	case TTQ_READ:
	case TTQ_TIME_READ:
		r = do_read(s, h, buf);
		r = h->h_size;
		break;
	case TTQ_WRITE:
		do_write(s, h, buf, n);
		break;
	case TTQ_CLOSE:
		h->h_status = STD_OK;
		break;
	case TTQ_STATUS:
		r = snprintf(buf, SH_REQMAX, "sh stream: %lu bytes read, "
			     "%lu written, %d writers\n", s->nread,
			     s->nwritten, s->writers);
		h->h_status = STD_OK;
		break;
	case STD_INFO:
		r = snprintf(buf, SH_REQMAX, "| sh stream");
		h->h_size = (bufsize)r;
		h->h_status = STD_OK;
		break;
	default:
		h->h_status = (command)STD_COMBAD;
	}
out:
	mu_unlock(&st_lock);
	return r;
}

static void
st_server(char *param, int psize)
{
	static char bufs[SH_NTHREADS][SH_REQMAX];
	int id = *(int *)param;
	char *buf = bufs[id];
	header h;
	int32 n;

	(void)psize;
	for (;;) {
		h.h_port = st_get;
		n = rpc_getreq(&h, buf, SH_REQMAX);
		if (n < 0)
			continue;
		n = st_handle(&h, buf, n);
		rpc_putrep(&h, buf, n);
	}
}

/* Start the server threads.  0, or -1 when none could start. */
int
st_init(void)
{
	static int ids[SH_NTHREADS];
	int started = 0;

	mu_init(&st_lock);
	uniqport(&st_get);
	priv2pub(&st_get, &st_put_port);
	for (int i = 0; i < SH_NTHREADS; i++) {
		ids[i] = i;
		if (thread_newthread(st_server, 32 * 1024, (char *)&ids[i],
				     sizeof(int)))
			started++;
	}
	return started > 0 ? 0 : -1;
}

/* A new stream with no writers; its index, or -1 when the table is full. */
int
st_new(int bounded)
{
	int i;

	mu_lock(&st_lock);
	for (i = 0; i < SH_NSTREAMS && streams[i].used; i++)
		;
	if (i < SH_NSTREAMS) {
		struct stream *s = &streams[i];
		semaphore wake = s->wake;	/* a late waker's ups only */
		int inited = s->inited;		/* cause a spurious wake-up */

		*s = (struct stream){ .used = 1, .bounded = bounded,
				      .inited = 1, .wake = wake };
		if (!inited)
			sema_init(&s->wake, 0);
		uniqport(&s->random);
	}
	mu_unlock(&st_lock);
	return i < SH_NSTREAMS ? i : -1;
}

void
st_cap(int i, capability *cap)
{
	cap->cap_port = st_put_port;
	prv_encode(&cap->cap_priv, i, PRV_ALL_RIGHTS, &streams[i].random);
}

int
st_isours(const capability *cap)
{
	return PORTCMP(&cap->cap_port, &st_put_port);
}

/* Bytes from the shell itself (a built-in's output); never waits. */
int
st_put(int i, const char *buf, size_t n)
{
	int r;

	mu_lock(&st_lock);
	r = streams[i].reader_gone ? -1 : st_append(&streams[i], buf, n);
	mu_unlock(&st_lock);
	return r;
}

/* The whole contents of an input file (malloc'ed; s takes it). */
void
st_fill(int i, char *data, size_t n)
{
	mu_lock(&st_lock);
	free(streams[i].buf);
	streams[i].buf = data;
	streams[i].off = 0;
	streams[i].len = streams[i].cap = n;
	mu_unlock(&st_lock);
}

void
st_writer_add(int i)
{
	mu_lock(&st_lock);
	streams[i].writers++;
	mu_unlock(&st_lock);
}

void
st_writer_done(int i)
{
	mu_lock(&st_lock);
	if (streams[i].writers > 0)
		streams[i].writers--;
	st_wakeall(&streams[i]);
	mu_unlock(&st_lock);
}

void
st_reader_done(int i)
{
	mu_lock(&st_lock);
	streams[i].reader_gone = 1;
	st_wakeall(&streams[i]);
	mu_unlock(&st_lock);
}

/* The unread bytes of s (malloc'ed by the stream; the caller frees). */
char *
st_take(int i, size_t *n)
{
	struct stream *s = &streams[i];
	char *b;

	mu_lock(&st_lock);
	if (s->off > 0)
		memmove(s->buf, s->buf + s->off, s->len - s->off);
	*n = s->len - s->off;
	b = s->buf;
	s->buf = NULL;
	s->off = s->len = s->cap = 0;
	mu_unlock(&st_lock);
	return b;
}

/* Forget s: later requests on its capability fail (STD_CAPBAD). */
void
st_free(int i)
{
	mu_lock(&st_lock);
	free(streams[i].buf);
	streams[i].buf = NULL;
	streams[i].used = 0;
	streams[i].reader_gone = 1;
	streams[i].writers = 0;
	st_wakeall(&streams[i]);
	mu_unlock(&st_lock);
}
