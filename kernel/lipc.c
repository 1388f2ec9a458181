/*
 * lipc.c - local IPC with shared segments (see lipc.h, module/lipc.h):
 * the rendezvous of clients and server threads on put-ports, the
 * windows through which a user server sees a client's buffers, kept
 * (streaming) mappings, and the ends of threads and processes.
 *
 * A client's call lives on its kernel stack while it waits.  It goes to
 * a server thread listening on its port, or waits in a queue for one;
 * with no server of that port on the node at all it waits at most
 * LIPC_FINDTIME for one to appear (a starting server), then fails with
 * RPC_NOTFOUND.  The server maps the client's buffers when it takes the
 * call (a user server into a window slot of its address space, a kernel
 * server uses the identity map) and unmaps them at putrep.  If the
 * client dies first, the pages stay mapped and pinned until that putrep,
 * which then fails with RPC_FAILURE: a server is never hit by a fault
 * because a client ended.  If the server dies, the client gets
 * RPC_FAILURE.
 *
 * Entry points: lipc_do_trans, lipc_do_getreq, lipc_do_putrep (the core
 * under the system calls), lipc_trans, lipc_getreq, lipc_putrep,
 * lipc_keep, lipc_kept, lipc_release (module/lipc.h for kernel threads),
 * lipc_pin, lipc_unpin, lipc_direct (a kernel server whose function runs
 * in the client's thread: no switch to a server thread and back).
 * Concurrency: kernel threads only, non-preemptive (lipc.h).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/arch/vm.h"
#include "kernel/klib.h"
#include "kernel/lipc.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include <exception.h>
#include <module/prv.h>
#include <stderr.h>

#define LIPC_NSRV	64	/* threads that serve */
#define LIPC_NKEPT	32	/* kept mappings on the node */
#define LIPC_FINDTIME	1000	/* ms a client waits for a first server */
#define LIPC_NDIRECT	4	/* kernel servers run in the caller */

enum { LC_QUEUED, LC_SERVING, LC_DONE };

struct lipc_srv;

struct lipc_call {
	struct lipc_call *next;     /* queue of calls waiting for a server */
	port port;                  /* the server's put-port */
	int state;                  /* LC_* */
	header req, rep;            /* the two headers (copied) */
	struct lipc_buf rb, pb;     /* request and reply buffers */
	bool same;                  /* one buffer, both ways */
	struct proc *cproc;         /* the client's process (NULL: kernel) */
	int32_t result;             /* reply length or error (LC_DONE) */
	struct lipc_srv *srv;       /* serving it (LC_SERVING) */
};

/* The buffers of one call as a server sees them. */
struct lipc_map {
	struct proc *sp;            /* server process (NULL: kernel) */
	int slot;                   /* window slot, -1 if none */
	uint32_t rva, pva;          /* where the server sees them */
	uint32_t rbase, rspan;      /* mapped request pages */
	uint32_t pbase, pspan;      /* mapped reply pages */
	struct lipc_buf rb, pb;     /* pinned while mapped */
};

struct lipc_srv {
	struct thread *t;           /* NULL: free slot */
	bool probed;                /* was ever used (srv_of's probing) */
	struct lipc_srv *lnext;     /* list of listening servers */
	bool has_port;              /* getport/putport are set */
	port getport, putport;      /* the last get-port and F(it) */
	bool listening;             /* in getreq, waiting */
	bool serving;               /* between getreq and putrep */
	struct lipc_call *cur;      /* the call (NULL once its client left) */
	struct proc *cproc;         /* client process of the call served */
	struct lipc_map map;        /* its buffers */
};

struct lipc_kept {
	bool used;
	bool dead;                  /* the client ended: unmapped */
	struct proc *sp;            /* server process (NULL: kernel) */
	struct proc *cproc;         /* client process (NULL: kernel) */
	struct lipc_map map;        /* cleared once dead */
};

/* Window slots of each server process. */
struct lipc_space {
	struct proc *p;             /* NULL: free */
	uint32_t used;              /* one bit per slot */
};

/* A kernel server that runs in its caller's thread (lipc_direct). */
struct lipc_direct {
	port putport;               /* the port it serves, F(get-port) */
	lipc_direct_fn fn;          /* NULL: free */
	void *arg;
};

struct lipc_stats lipc_stats;
static struct lipc_direct directs[LIPC_NDIRECT];
static struct lipc_srv srvs[LIPC_NSRV];
static struct lipc_kept kept[LIPC_NKEPT];
static struct lipc_space spaces[NPROC];
static struct lipc_call *queue;
static bool hooked;

static void lipc_thread_gone(struct thread *t);
static void lipc_proc_gone(struct proc *p);

/* The exit hooks, registered on first use (no call from the boot flow). */
static void
lipc_setup(void)
{
	if (hooked)
		return;
	hooked = true;
	thread_on_exit(lipc_thread_gone);
	proc_on_gone(lipc_proc_gone);
}

void
lipc_pin(const struct lipc_buf *b)
{
	if (b->seg && b->len) {
		seg_ref(b->seg);
		b->seg->pins++;
	}
}

void
lipc_unpin(const struct lipc_buf *b)
{
	if (b->seg && b->len) {
		KASSERT(b->seg->pins > 0);
		b->seg->pins--;
		seg_unref(b->seg);
	}
}

/* ---- windows ------------------------------------------------------------- */

static struct lipc_space *
space_of(struct proc *p, bool create)
{
	struct lipc_space *free = NULL;

	for (int i = 0; i < NPROC; i++) {
		if (spaces[i].p == p)
			return &spaces[i];
		if (spaces[i].p == NULL && free == NULL)
			free = &spaces[i];
	}
	if (!create || free == NULL)
		return NULL;
	free->p = p;
	free->used = 0;
	return free;
}

static int
win_alloc(struct proc *p)
{
	struct lipc_space *sp = space_of(p, true);

	if (sp == NULL)
		return -1;
	for (int i = 0; i < LIPC_NWIN; i++) {
		if (!(sp->used & (1u << i))) {
			sp->used |= 1u << i;
			return i;
		}
	}
	return -1;
}

static void
win_free(struct proc *p, int slot)
{
	struct lipc_space *sp;

	if (slot < 0)
		return;		/* a call without data had no window */
	sp = space_of(p, false);
	if (sp)
		sp->used &= ~(1u << slot);
}

/* Map len bytes of b at window address base; the server address or 0. */
static uint32_t
map_range(struct proc *p, uint32_t base, const struct lipc_buf *b,
	  uint32_t len, bool rw, uint32_t *span)
{
	uint32_t off = b->pa & (PAGE_SIZE - 1);

	*span = ALIGN_UP(off + len, PAGE_SIZE);
	if (vm_map_run(p->pgdir, base, b->pa - off, *span, rw) < 0) {
		*span = 0;
		return 0;
	}
	lipc_stats.mapped_pages += *span / PAGE_SIZE;
	return base + off;
}

/* Undo map_in: unmap, free the slot, unpin. */
static void
map_out(struct lipc_map *m)
{
	if (m->sp) {
		if (m->rspan)
			vm_unmap_run(m->sp->pgdir, m->rbase, m->rspan);
		if (m->pspan)
			vm_unmap_run(m->sp->pgdir, m->pbase, m->pspan);
		if (m->rspan || m->pspan)
			vm_flush(m->sp->pgdir);
		win_free(m->sp, m->slot);
	}
	lipc_unpin(&m->rb);
	lipc_unpin(&m->pb);
	memset(m, 0, sizeof(*m));
	m->slot = -1;
}

/* Make c's buffers visible to server process sp (NULL: the kernel). */
static errstat
map_in(struct lipc_map *m, struct proc *sp, const struct lipc_call *c)
{
	uint32_t base, rlen = c->rb.len;

	memset(m, 0, sizeof(*m));
	m->slot = -1;
	m->sp = sp;
	if (c->same && c->pb.len > rlen)
		rlen = c->pb.len;
	if (sp == NULL) {
		m->rva = c->rb.pa;
		m->pva = c->pb.pa;
	} else if (rlen || c->pb.len) {
		m->slot = win_alloc(sp);
		if (m->slot < 0)
			return STD_NOSPACE;
		base = LIPC_WIN_BASE + (uint32_t)m->slot * LIPC_WIN_SLOT;
		m->rbase = base;
		m->pbase = base + LIPC_WIN_SLOT / 2;
		if (rlen)
			m->rva = map_range(sp, base, &c->rb, rlen, c->same,
					   &m->rspan);
		if (c->same)
			m->pva = m->rva;
		else if (c->pb.len)
			m->pva = map_range(sp, m->pbase, &c->pb, c->pb.len,
					   true, &m->pspan);
		if ((rlen && !m->rva) || (c->pb.len && !m->pva)) {
			map_out(m);
			return STD_NOSPACE;
		}
	}
	m->rb = c->rb;
	m->pb = c->pb;
	lipc_pin(&m->rb);
	lipc_pin(&m->pb);
	return STD_OK;
}

/* ---- rendezvous ---------------------------------------------------------- */

/*
 * The slot of thread t: open addressing from its thread number, so the
 * one or two lookups of each call touch one slot, not the table.
 */
static struct lipc_srv *
srv_of(struct thread *t, bool create)
{
	uint32_t h = (uint32_t)t->tid % LIPC_NSRV;
	struct lipc_srv *free = NULL;

	for (uint32_t i = 0; i < LIPC_NSRV; i++) {
		struct lipc_srv *s = &srvs[(h + i) % LIPC_NSRV];

		if (s->t == t)
			return s;
		if (s->t == NULL && free == NULL)
			free = s;
		if (s->t == NULL && !s->probed)
			break;		/* never used: t is not further on */
	}
	if (!create || free == NULL)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->t = t;
	free->probed = true;
	free->map.slot = -1;
	return free;
}

/* Is any thread of this node serving port (listening or not)? */
static bool
srv_exists(const port *pp)
{
	for (int i = 0; i < LIPC_NSRV; i++)
		if (srvs[i].t && srvs[i].has_port &&
		    PORTCMP(&srvs[i].putport, pp))
			return true;
	return false;
}

static struct lipc_srv *listening;	/* servers waiting in getreq */

static struct lipc_srv *
listener(const port *pp)
{
	for (struct lipc_srv *s = listening; s; s = s->lnext)
		if (s->cur == NULL && PORTCMP(&s->putport, pp))
			return s;
	return NULL;
}

static void
unlisten(struct lipc_srv *s)
{
	for (struct lipc_srv **pp = &listening; *pp; pp = &(*pp)->lnext) {
		if (*pp == s) {
			*pp = s->lnext;
			break;
		}
	}
	s->listening = false;
}

static void
enqueue(struct lipc_call *c)
{
	struct lipc_call **pp = &queue;

	while (*pp)
		pp = &(*pp)->next;
	c->next = NULL;
	*pp = c;
	c->state = LC_QUEUED;
	c->srv = NULL;
}

static void
unqueue(struct lipc_call *c)
{
	for (struct lipc_call **pp = &queue; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

/* The first queued call for port pp, taken off the queue. */
static struct lipc_call *
dequeue(const port *pp)
{
	for (struct lipc_call **pp2 = &queue; *pp2; pp2 = &(*pp2)->next) {
		struct lipc_call *c = *pp2;

		if (PORTCMP(&c->port, pp)) {
			*pp2 = c->next;
			return c;
		}
	}
	return NULL;
}

static void
finish(struct lipc_call *c, int32_t result)
{
	c->result = result;
	c->state = LC_DONE;
	c->srv = NULL;
	thread_wakeup(c);
}

/* Give call c to server s (listening, or about to return from getreq). */
static void
hand(struct lipc_srv *s, struct lipc_call *c)
{
	c->state = LC_SERVING;
	c->srv = s;
	s->cur = c;
	thread_wakeup(s);
}

/* No thread serves pp any more: its queued clients fail. */
static void
fail_queued(const port *pp)
{
	struct lipc_call *c;

	if (srv_exists(pp))
		return;
	while ((c = dequeue(pp)) != NULL)
		finish(c, RPC_NOTFOUND);
}

/* ---- the calls ----------------------------------------------------------- */

/* Wait for c to be done; the client's side of signals, deaths, time. */
static void
client_wait(struct lipc_call *c)
{
	bool known = c->state != LC_QUEUED || srv_exists(&c->port);
	uint32_t f = arch_irq_save();
	int w;

	while (c->state != LC_DONE) {
		w = thread_sleep_sig(c, c->state == LC_QUEUED && !known ?
				     LIPC_FINDTIME : 0);
		if (c->state == LC_DONE)
			break;
		if (w == THREAD_INTERRUPTED) {	/* killed or stunned */
			if (c->state == LC_QUEUED) {
				unqueue(c);	/* not served: may restart */
				c->result = RPC_ABORTED;
			} else {
				c->srv->cur = NULL;	/* its putrep fails */
				c->result = RPC_FAILURE;
			}
			break;
		}
		if (w == THREAD_SIGNALLED && c->state == LC_QUEUED) {
			unqueue(c);
			c->result = RPC_ABORTED;
			break;
		}
		if (w == THREAD_SIGNALLED && c->srv->t->proc)
			thread_signal(c->srv->t, SIG_TRANS);
		if (w == -1 && c->state == LC_QUEUED &&
		    !(known = srv_exists(&c->port))) {
			unqueue(c);
			c->result = RPC_NOTFOUND;
			break;
		}
	}
	arch_irq_restore(f);
}

errstat
lipc_direct(const port *getport, lipc_direct_fn fn, void *arg)
{
	port pub;

	if (getport == NULL || NULLPORT(getport) || fn == NULL)
		return STD_ARGBAD;
	priv2pub(getport, &pub);
	for (int i = 0; i < LIPC_NDIRECT; i++) {
		if (directs[i].fn == NULL) {
			directs[i].putport = pub;
			directs[i].arg = arg;
			directs[i].fn = fn;
			return STD_OK;
		}
	}
	return STD_NOSPACE;
}

static const struct lipc_direct *
direct_of(const port *pp)
{
	for (int i = 0; i < LIPC_NDIRECT; i++)
		if (directs[i].fn != NULL && PORTCMP(&directs[i].putport, pp))
			return &directs[i];
	return NULL;
}

/*
 * A call to a direct server: its function runs here, in the client's
 * thread, on the client's buffers through the identity map (pinned by
 * our caller for the call).  No thread switch, no mapping.
 */
static int32_t
direct_call(const struct lipc_direct *d, const header *req,
	    const struct lipc_buf *rb, const struct lipc_buf *pb, bool same,
	    header *rep)
{
	struct lipc_req r;
	header h = *req;
	int32_t n;

	r.req = rb->len ? (void *)rb->pa : NULL;
	r.reqlen = rb->len;
	r.rep = pb->len ? (void *)pb->pa : NULL;
	r.replen = pb->len;
	r.inplace = same;
	n = d->fn(d->arg, &h, &r);
	if (n < 0)
		return n;
	if ((uint32_t)n > pb->len)
		n = (int32_t)pb->len;
	*rep = h;
	lipc_stats.calls++;
	lipc_stats.direct++;
	return n;
}

int32_t
lipc_do_trans(const header *req, const struct lipc_buf *rb,
	      const struct lipc_buf *pb, bool same, header *rep)
{
	const struct lipc_direct *d;
	struct lipc_call c;
	struct lipc_srv *s;

	lipc_setup();
	if (NULLPORT(&req->h_port))
		return RPC_BADPORT;
	if ((d = direct_of(&req->h_port)) != NULL)
		return direct_call(d, req, rb, pb, same, rep);
	memset(&c, 0, sizeof(c));
	c.port = req->h_port;
	c.req = *req;
	c.rb = *rb;
	c.pb = *pb;
	c.same = same;
	c.cproc = thread_current()->proc;
	s = listener(&c.port);
	if (s)
		hand(s, &c);
	else
		enqueue(&c);
	client_wait(&c);
	if (c.result >= 0) {
		*rep = c.rep;
		lipc_stats.calls++;
	}
	return c.result;
}

/* Server s takes call c: map its buffers, fill the caller's view. */
static int32_t
take(struct lipc_srv *s, struct lipc_call *c, header *h, struct lipc_req *r)
{
	errstat err = map_in(&s->map, s->t->proc, c);

	if (err != STD_OK) {
		s->cur = NULL;
		finish(c, err);
		return err;
	}
	s->serving = true;
	s->cproc = c->cproc;
	*h = c->req;
	h->h_port = s->putport;
	r->req = c->rb.len ? (void *)s->map.rva : NULL;
	r->reqlen = c->rb.len;
	r->rep = c->pb.len ? (void *)s->map.pva : NULL;
	r->replen = c->pb.len;
	r->inplace = c->same;
	return (int32_t)c->rb.len;
}

/* Listen until a call is handed over; false on a signal or kill. */
static bool
listen(struct lipc_srv *s)
{
	uint32_t f = arch_irq_save();
	int w;

	s->listening = true;
	s->lnext = listening;
	listening = s;
	while (s->cur == NULL) {
		w = thread_sleep_sig(s, 0);
		if (w == THREAD_INTERRUPTED || w == THREAD_SIGNALLED)
			break;
	}
	unlisten(s);
	arch_irq_restore(f);
	return s->cur != NULL;
}

int32_t
lipc_do_getreq(header *h, struct lipc_req *r)
{
	struct lipc_srv *s;
	struct lipc_call *c;
	int32_t n;

	lipc_setup();
	if (NULLPORT(&h->h_port))
		return RPC_BADPORT;
	s = srv_of(thread_current(), true);
	if (s == NULL)
		return STD_NOSPACE;
	if (s->serving)
		return RPC_FAILURE;	/* getreq and putrep alternate */
	if (!s->has_port || !PORTCMP(&s->getport, &h->h_port)) {
		port old = s->putport;
		bool had = s->has_port;

		s->getport = h->h_port;
		priv2pub(&s->getport, &s->putport);
		s->has_port = true;
		if (had)
			fail_queued(&old);	/* nobody else serves it? */
	}
	for (;;) {
		c = dequeue(&s->putport);
		if (c)
			hand(s, c);
		else if (!listen(s))
			return RPC_ABORTED;
		n = take(s, s->cur, h, r);
		if (n >= 0)
			return n;
	}
}

errstat
lipc_do_putrep(const header *h, uint32_t n)
{
	struct lipc_srv *s = srv_of(thread_current(), false);
	struct lipc_call *c;

	if (s == NULL || !s->serving)
		return RPC_FAILURE;
	c = s->cur;
	if (c && n > c->pb.len)
		return STD_OVERFLOW;	/* still serving: reply again */
	map_out(&s->map);
	s->serving = false;
	s->cur = NULL;
	s->cproc = NULL;
	if (c == NULL)
		return RPC_FAILURE;	/* the client went away */
	c->rep = *h;
	finish(c, (int32_t)n);
	return STD_OK;
}

/* ---- streaming ----------------------------------------------------------- */

int32_t
lipc_keep(void)
{
	struct lipc_srv *s = srv_of(thread_current(), false);

	if (s == NULL || !s->serving || s->cur == NULL)
		return RPC_FAILURE;
	if (s->map.rb.len == 0 && s->map.pb.len == 0)
		return STD_ARGBAD;	/* nothing to keep */
	for (int i = 0; i < LIPC_NKEPT; i++) {
		struct lipc_kept *k = &kept[i];

		if (k->used)
			continue;
		k->used = true;
		k->dead = false;
		k->sp = s->map.sp;
		k->cproc = s->cproc;
		k->map = s->map;
		memset(&s->map, 0, sizeof(s->map));
		s->map.slot = -1;	/* putrep leaves it mapped */
		return i;
	}
	return STD_NOSPACE;
}

static struct lipc_kept *
kept_of(int32_t handle)
{
	struct lipc_kept *k;

	if (handle < 0 || handle >= LIPC_NKEPT)
		return NULL;
	k = &kept[handle];
	return k->used && k->sp == thread_current()->proc ? k : NULL;
}

errstat
lipc_kept(int32_t handle, struct lipc_req *r)
{
	struct lipc_kept *k = kept_of(handle);

	if (k == NULL)
		return STD_ARGBAD;
	if (k->dead)
		return RPC_FAILURE;
	r->req = k->map.rb.len ? (void *)k->map.rva : NULL;
	r->reqlen = k->map.rb.len;
	r->rep = k->map.pb.len ? (void *)k->map.pva : NULL;
	r->replen = k->map.pb.len;
	r->inplace = k->map.rva == k->map.pva && k->map.rva;
	return STD_OK;
}

errstat
lipc_release(int32_t handle)
{
	struct lipc_kept *k = kept_of(handle);

	if (k == NULL)
		return STD_ARGBAD;
	if (!k->dead)
		map_out(&k->map);
	memset(k, 0, sizeof(*k));
	return STD_OK;
}

/* ---- ends ---------------------------------------------------------------- */

/* A server thread ends: its client fails, its mapping goes. */
static void
lipc_thread_gone(struct thread *t)
{
	struct lipc_srv *s = srv_of(t, false);
	port pp;

	if (s == NULL)
		return;
	pp = s->putport;
	if (s->serving) {
		if (s->cur)
			finish(s->cur, RPC_FAILURE);
		map_out(&s->map);
	} else if (s->cur) {		/* handed over, never taken */
		enqueue(s->cur);
	}
	if (s->listening)
		unlisten(s);
	memset(s, 0, sizeof(*s));
	s->probed = true;		/* keep srv_of's chains whole */
	/* a call put back goes to another listener, or fails */
	for (struct lipc_call *c = queue; c; c = c->next) {
		struct lipc_srv *o = listener(&c->port);

		if (o && PORTCMP(&c->port, &pp)) {
			unqueue(c);
			hand(o, c);
			break;
		}
	}
	fail_queued(&pp);
}

/* A process ends: kept mappings of it (either side) go. */
static void
lipc_proc_gone(struct proc *p)
{
	struct lipc_space *sp;

	for (int i = 0; i < LIPC_NKEPT; i++) {
		struct lipc_kept *k = &kept[i];

		if (!k->used)
			continue;
		if (k->sp == p) {
			if (!k->dead)
				map_out(&k->map);
			memset(k, 0, sizeof(*k));
		} else if (k->cproc == p && !k->dead) {
			map_out(&k->map);
			k->dead = true;
		}
	}
	sp = space_of(p, false);
	if (sp)
		sp->p = NULL;
}

/* ---- the API for kernel threads (module/lipc.h) ---------------------------- */

/* A kernel buffer: identity-mapped memory, nothing to pin. */
static bool
kbuf(struct lipc_buf *b, const void *p, uint32_t len, bool rw)
{
	uint32_t a = (uint32_t)p;

	b->pa = len ? a : 0;
	b->len = len;
	b->rw = rw;
	b->seg = NULL;
	return len == 0 || (p != NULL && a < KERNEL_MAP_END &&
			    len <= KERNEL_MAP_END - a);
}

int32_t
lipc_trans(header *req, const void *rbuf, uint32_t rn, header *rep,
	   void *pbuf, uint32_t pn)
{
	struct lipc_buf rb, pb;
	bool same = rn && pn && rbuf == pbuf;

	if (rn > LIPC_MAXDATA || pn > LIPC_MAXDATA)
		return STD_OVERFLOW;
	if (!kbuf(&rb, rbuf, rn, same) || !kbuf(&pb, pbuf, pn, true))
		return RPC_BADADDRESS;
	return lipc_do_trans(req, &rb, &pb, same, rep);
}

int32_t
lipc_getreq(header *h, struct lipc_req *r)
{
	return lipc_do_getreq(h, r);
}

errstat
lipc_putrep(header *h, uint32_t n)
{
	return lipc_do_putrep(h, n);
}

int32_t
lipc_replyget(header *rep, uint32_t n, header *h, struct lipc_req *r)
{
	(void)lipc_do_putrep(rep, n);
	return lipc_do_getreq(h, r);
}
