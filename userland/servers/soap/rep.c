/*
 * rep.c - the SOAP directory server replicated on the group layer, as
 * Amoeba's group-based directory service ran (soap -r N, main.c; the
 * portable part is sps_rep.c).
 *
 * N replicas on N nodes serve the same public port (the port comes from
 * the server's name) with the same directories and so the same
 * capabilities.  They are the members of one group (its port from the
 * name too; resilience 1, so a message is delivered only when two
 * members hold it and survives one crash):
 *
 *   - a read (SP_LOOKUP, SP_LIST, STD_INFO, ...) is served by the
 *     replica that got it, from its own copy;
 *   - an update (sps_is_update) is sent to the group with the clock and
 *     the new secret its replica chose; every replica applies the
 *     updates in the group's one order (sps_apply), so all make the same
 *     change; the replica that got the request replies when it has
 *     applied its own message;
 *   - every update carries a signature (the client's h_signature when
 *     it set one, the client stubs do, else one the replica draws), and
 *     a signature applied before gets its first reply again: a replica
 *     resends after BC_ABORT or a lost send, a client retries after
 *     RPC_FAILURE, and neither applies an update twice;
 *   - on BC_ABORT (a member's node died) the delivery thread calls
 *     grp_reset with a majority of N;
 *   - a replica that starts joins the group (the first one, finding
 *     none, creates it and serves its own disk's state), sends a state
 *     request through the group and serves nothing until a living
 *     replica, on delivering that request, has sent it its whole state
 *     as of that point (an RPC to the joiner's own port, sps_snap_*);
 *     it then applies the updates ordered after the request, and sends
 *     a message of its own (a barrier) so that a last update it missed
 *     shows as a gap at once.
 *
 * Every replica keeps its own full copy where a plain SOAP server
 * keeps it: the super file on its node's SOAP partition and one
 * committed Bullet file per directory on its node's Bullet server; a
 * joiner's copy is replaced by the state it is sent.  After each batch
 * of updates it prints `soaprep: seq N hash H dirs D` (the same on
 * every replica that applied the same updates).
 *
 * Threads: one delivery thread (grp_receive, apply, reset), NSERVE
 * request threads, one state thread on a joiner; the core's mutex
 * covers the sps and the waiter table, sendmu the one grp_send at a
 * time the group allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <amoeba.h>
#include <group.h>
#include <semaphore.h>
#include <stderr.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include "rep.h"

#define REP_UPDATE	1		/* group message: an update */
#define REP_STATEREQ	2		/* group message: state wanted */
#define REP_JOIN	3		/* the joiner's header */
#define REP_STATE	4		/* RPC: the state, to a joiner */
#define REP_BARRIER	5		/* group message: nothing (a joiner's) */
#define REP_LOGMSG	14		/* largest group message: 16 KiB */
#define REP_LOGBUF	6		/* history: 64 messages */
#define REP_MAXW	8		/* request threads */
#define REP_STATEMAX	(1024 * 1024)	/* largest state */
#define REP_WAIT	10000		/* ms: own update delivered */
#define REP_RESEND	300		/* ms: between failed sends */
#define REP_GIVEUP	60000		/* ms: an update given up */
#define REP_STATEWAIT	30000		/* ms: state, or ask again */

static struct sps *rs;
static mutex *rlock;			/* the core's lock */
static mutex sendmu;			/* one grp_send at a time */
static g_id_t gid;
static port gport;			/* the group's port */
static int nrep;
static semaphore ready;			/* up once caught up */

/* The update being applied (its clock and secret), under rlock. */
static int applying;
static uint32_t cur_time;
static port cur_random;

/* A request thread waiting for its own update, under rlock. */
static struct waiter {
	int used;
	port sig;
	command cmd;
	header rep;
	semaphore done;
} waiters[REP_MAXW];

/* Joiner: its state port and request, the state thread's news. */
static port st_get, st_put;
static int32 st_nonce;
static semaphore st_got;
static volatile int st_done;

static uint32_t
rep_now(void *ctx)
{
	struct timeval tv;

	(void)ctx;
	if (applying)
		return cur_time;
	return gettimeofday(&tv, NULL) == 0 ? (uint32_t)tv.tv_sec : 0;
}

static void
rep_random(void *ctx, port *p)
{
	(void)ctx;
	if (applying)
		*p = cur_random;
	else
		uniqport(p);
}

void
rep_io(struct sps_io *io)
{
	io->now = rep_now;
	io->random = rep_random;
}

static void
rep_fail(const char *what, errstat err)
{
	printf("soaprep: %s (%s)\n", what, err_why(err));
	fflush(stdout);
	exit(1);
}

/* After BC_ABORT: rebuild the group with a majority of the replicas. */
static void
rep_reset(void)
{
	g_indx_t need = (g_indx_t)(nrep / 2 + 1);
	header h;
	int32 r = BC_FAIL;
	int i;

	for (i = 0; i < 10 && r < 0; i++) {
		memset(&h, 0, sizeof(h));
		r = (int32)grp_reset(gid, &h, need);
	}
	if (r < 0)
		rep_fail("the group could not be rebuilt with a majority", r);
	printf("soaprep: group reset: %d members\n", (int)r);
	fflush(stdout);
}

/* Apply one ordered update; wake its request thread if it is ours. */
static void
rep_apply(char *buf, int32 n)
{
	static char rep[64];
	struct sps_upd u;
	command cmd;
	port sig;
	int i;

	if (sps_upd_decode(buf, (size_t)n, &u) != STD_OK) {
		printf("soaprep: a bad update message ignored\n");
		return;
	}
	cmd = u.h.h_command;	/* the reply's h_status replaces it */
	sig = u.h.h_signature;
	mu_lock(rlock);
	applying = 1;
	cur_time = u.time;
	cur_random = u.random;
	sps_apply(rs, &u.h, u.body, u.len, rep, sizeof(rep));
	applying = 0;
	for (i = 0; i < REP_MAXW; i++) {
		struct waiter *w = &waiters[i];

		if (w->used && PORTCMP(&w->sig, &sig) && w->cmd == cmd) {
			w->rep = u.h;
			w->used = 0;
			sema_up(&w->done);
		}
	}
	mu_unlock(rlock);
}

/* A joiner asked for the state: send it (we hold every update before
 * its request and none after, as the joiner expects). */
static void
rep_give_state(header *req)
{
	char *buf;
	size_t n;
	header h;
	errstat err;
	int32 r;

	mu_lock(rlock);
	err = sps_snap_encode(rs, &buf, &n);
	mu_unlock(rlock);
	if (err == STD_OK && n > REP_STATEMAX) {
		free(buf);
		err = STD_OVERFLOW;
	}
	if (err != STD_OK) {
		printf("soaprep: no state for a joiner (%s)\n", err_why(err));
		return;
	}
	memset(&h, 0, sizeof(h));
	h.h_port = req->h_port;
	h.h_command = REP_STATE;
	h.h_offset = req->h_offset;
	r = rpc_trans(&h, buf, (f_size_t)n, &h, NULL, 0);
	free(buf);
	printf("soaprep: state (%u bytes) sent to a joiner: %s\n",
	       (unsigned)n, err_why(r < 0 ? r : ERR_CONVERT(h.h_status)));
	fflush(stdout);
}

/* Ask the group for the state: a request ordered like the updates. */
static void
rep_ask_state(void)
{
	header h;
	errstat e;
	int i;

	for (i = 0; i < 100; i++) {
		memset(&h, 0, sizeof(h));
		h.h_command = REP_STATEREQ;
		h.h_port = st_put;
		h.h_offset = st_nonce;
		mu_lock(&sendmu);
		e = grp_send(gid, &h, NULL, 0);
		mu_unlock(&sendmu);
		if (e == STD_OK)
			return;
		sema_trydown(&st_got, REP_RESEND);
	}
	rep_fail("cannot ask for the state", e);
}

/*
 * A message of our own after the catch-up: ordered after every update
 * so far, so that its arrival shows us any we have not received yet
 * (we ask for them at once instead of waiting for the next traffic).
 */
static void
rep_barrier(void)
{
	header h;
	errstat e;

	memset(&h, 0, sizeof(h));
	h.h_command = REP_BARRIER;
	mu_lock(&sendmu);
	e = grp_send(gid, &h, NULL, 0);
	mu_unlock(&sendmu);
	if (e != STD_OK)
		printf("soaprep: barrier not sent (%s)\n", err_why(e));
}

/* Our own state request came by: wait for the state it asked for; 1
 * once installed, else 0 (asked again: that request comes by later). */
static int
rep_catch_up(void)
{
	if (sema_trydown(&st_got, REP_STATEWAIT) != 0 || !st_done) {
		printf("soaprep: no state yet, asking again\n");
		fflush(stdout);
		st_nonce++;
		rep_ask_state();
		return 0;
	}
	printf("soaprep: caught up, serving\n");
	fflush(stdout);
	rep_barrier();
	sema_up(&ready);
	return 1;
}

static void
rep_report(void)
{
	static uint32_t last_seq = ~0u, last_hash;
	uint32_t hash = 0, nd = 0, seq;
	errstat err;

	mu_lock(rlock);
	err = sps_state_hash(rs, &hash, &nd);
	seq = rs->seq[0];
	mu_unlock(rlock);
	if (err != STD_OK || (seq == last_seq && hash == last_hash))
		return;
	last_seq = seq;
	last_hash = hash;
	printf("soaprep: seq %u hash %08x dirs %u\n", (unsigned)seq,
	       (unsigned)hash, (unsigned)nd);
	fflush(stdout);
}

/* The delivery thread: every group message in the order. */
static void
rep_deliver(char *param, int psize)
{
	static char buf[(1 << REP_LOGMSG) + 64];
	int caught = sema_level(&ready) > 0, more, bad = 0;
	header h;
	int32 r;

	(void)param;
	(void)psize;
	for (;;) {
		r = grp_receive(gid, &h, buf, sizeof(buf), &more);
		if (r == BC_ABORT) {
			rep_reset();
			continue;
		}
		if (r < 0) {
			if (++bad > 100)
				rep_fail("grp_receive keeps failing", r);
			continue;
		}
		bad = 0;
		if (h.h_command == REP_STATEREQ && !caught &&
		    PORTCMP(&h.h_port, &st_put) && h.h_offset == st_nonce) {
			caught = rep_catch_up();
		} else if (!caught) {
			continue;	/* in the state we are waiting for */
		} else if (h.h_command == REP_UPDATE) {
			rep_apply(buf, r);
		} else if (h.h_command == REP_STATEREQ &&
			   !PORTCMP(&h.h_port, &st_put)) {
			rep_give_state(&h);
		}
		if (caught && !more)
			rep_report();
	}
}

/* The joiner's state thread: install the first state sent. */
static void
rep_state_server(char *param, int psize)
{
	char *buf = malloc(REP_STATEMAX);
	header h;
	errstat err;
	int32 n;

	(void)param;
	(void)psize;
	if (buf == NULL)
		rep_fail("no memory for the state", STD_NOMEM);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = st_get;
		if ((n = rpc_getreq(&h, buf, REP_STATEMAX)) < 0)
			continue;
		err = STD_COMBAD;
		if (h.h_command == REP_STATE && st_done)
			err = STD_OK;	/* another donor: have it */
		else if (h.h_command == REP_STATE && h.h_offset == st_nonce) {
			mu_lock(rlock);
			err = sps_snap_install(rs, buf, (size_t)n);
			mu_unlock(rlock);
			printf("soaprep: state of %d bytes installed: %s\n",
			       (int)n, err_why(err));
			fflush(stdout);
			if (err == STD_OK) {
				st_done = 1;
				sema_up(&st_got);
			}
		}
		memset(&h, 0, sizeof(h));
		h.h_status = (command)err;
		rpc_putrep(&h, NULL, 0);
	}
}

/* A waiter slot of this thread for (sig, cmd); under rlock. */
static struct waiter *
rep_wait_slot(int me, const port *sig, command cmd)
{
	struct waiter *w = &waiters[me];

	w->used = 1;
	w->sig = *sig;
	w->cmd = cmd;
	while (sema_trydown(&w->done, 0) == 0)
		;			/* a late wake-up of an earlier one */
	return w;
}

/*
 * Order an update through the group and wait until it is applied here:
 * the reply header in *h.  A send that fails (BC_ABORT while the group
 * is rebuilt) or is not delivered in time is sent again with the same
 * signature, which sps_apply applies at most once.
 */
static void
rep_update(int me, header *h, char *req, int32 n, char *msg, size_t max)
{
	static int served;
	unsigned long t0 = sys_milli();
	struct sps_upd u;
	struct waiter *w;
	header gh;
	size_t len;
	errstat e;

	if (NULLPORT(&h->h_signature))
		uniqport(&h->h_signature);
	mu_lock(rlock);
	if (++served % 10 == 1) {
		printf("soaprep: %d updates from clients\n", served);
		fflush(stdout);
	}
	if (sps_done_find(rs, &h->h_signature, h->h_command, h)) {
		mu_unlock(rlock);
		return;
	}
	w = rep_wait_slot(me, &h->h_signature, h->h_command);
	mu_unlock(rlock);
	memset(&u, 0, sizeof(u));
	u.time = rep_now(NULL);
	uniqport(&u.random);
	u.h = *h;
	u.body = req;
	u.len = (size_t)n;
	if ((e = sps_upd_encode(&u, msg, max, &len)) != STD_OK)
		goto fail;
	while (sys_milli() - t0 < REP_GIVEUP) {
		memset(&gh, 0, sizeof(gh));
		gh.h_command = REP_UPDATE;
		mu_lock(&sendmu);
		e = grp_send(gid, &gh, msg, (uint32)len);
		mu_unlock(&sendmu);
		if (sema_trydown(&w->done, e == STD_OK ? REP_WAIT
				 : REP_RESEND) == 0) {
			*h = w->rep;
			return;
		}
	}
fail:
	mu_lock(rlock);
	w->used = 0;
	mu_unlock(rlock);
	h->h_status = (command)(e != STD_OK ? e : STD_NOTNOW);
	h->h_size = 0;
}

/* A request thread: reads from our copy, updates through the group. */
static void
rep_serve(char *param, int psize)
{
	static const size_t reqmax = 64 * 1024, repmax = SP_BUFSIZE + 1024;
	int me = *(int *)param;
	char *req = malloc(reqmax), *rep = malloc(repmax);
	char *msg = malloc(1 << REP_LOGMSG);
	header h;
	int32 n;
	size_t r;

	(void)psize;
	if (req == NULL || rep == NULL || msg == NULL)
		rep_fail("no memory", STD_NOMEM);
	sema_down(&ready);
	sema_up(&ready);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = rs->getport;
		if ((n = rpc_getreq(&h, req, (f_size_t)reqmax)) < 0)
			continue;
		if (sps_is_update(h.h_command)) {
			rep_update(me, &h, req, n, msg, 1 << REP_LOGMSG);
			rpc_putrep(&h, NULL, 0);
			continue;
		}
		mu_lock(rlock);
		r = sps_request(rs, &h, req, (size_t)n, rep, repmax);
		mu_unlock(rlock);
		rpc_putrep(&h, rep, (f_size_t)r);
	}
}

/* Join the group, or create it when there is none yet. */
static int
rep_join(void)
{
	header h;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&h, 0, sizeof(h));
		h.h_port = gport;
		h.h_command = REP_JOIN;
		gid = grp_join(&h);
		if (gid >= 0) {
			printf("soaprep: joined the group of \"%s\"\n",
			       rs->name);
			return 0;
		}
		if (gid != BC_NOEXIST)
			continue;
		gid = grp_create(&gport, 1, 16, REP_LOGBUF, REP_LOGMSG);
		if (gid < 0)
			rep_fail("cannot create the group", gid);
		printf("soaprep: created the group of \"%s\"\n", rs->name);
		return 1;
	}
	rep_fail("cannot join the group", gid);
	return 0;
}

void
rep_run(struct sps *s, mutex *lock, int n, int nserve)
{
	static int ids[REP_MAXW];
	int i, created;

	rs = s;
	rlock = lock;
	nrep = n;
	mu_init(&sendmu);
	sema_init(&ready, 0);
	sema_init(&st_got, 0);
	for (i = 0; i < REP_MAXW; i++)
		sema_init(&waiters[i].done, 0);
	sp_publicport(s->name, &gport);
	gport._portbytes[0] ^= 0x47;	/* "G": not the service's port */
	uniqport(&st_get);
	priv2pub(&st_get, &st_put);
	st_nonce = (int32)(sys_milli() & 0x7fffffff);
	created = rep_join();
	fflush(stdout);
	if (created) {
		st_done = 1;
		sema_up(&ready);
		rep_report();
	} else if (!thread_newthread(rep_state_server, 16384, NULL, 0)) {
		rep_fail("cannot start the state thread", STD_NOMEM);
	}
	if (!thread_newthread(rep_deliver, 32768, NULL, 0))
		rep_fail("cannot start the delivery thread", STD_NOMEM);
	if (!created)
		rep_ask_state();
	if (nserve > REP_MAXW)
		nserve = REP_MAXW;
	for (i = 1; i < nserve; i++) {
		ids[i] = i;
		if (!thread_newthread(rep_serve, 16384, (char *)&ids[i],
				      sizeof(int)))
			rep_fail("cannot start a server thread", STD_NOMEM);
	}
	ids[0] = 0;
	rep_serve((char *)&ids[0], sizeof(int));
}
