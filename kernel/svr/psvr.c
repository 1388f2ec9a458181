/*
 * psvr.c - the kernel process and segment server (spec 8.5): PS_EXEC
 * starts a process from a marshalled process descriptor; PS_GETDEF,
 * PS_GETLOAD; PS_SEG_CREATE and PS_SEG_WRITE make segments; segments
 * answer BS_READ, BS_SIZE and STD_DESTROY, so another node (or exec) can
 * pull a segment's contents; process capabilities answer STD_INFO,
 * STD_DESTROY, PS_STUN (a checkpoint to the owner, psckpt.c), PS_GETOWNER
 * and PS_SETOWNER; PS_LIST (VX) lists
 * the live processes with their capabilities; PS_SIGNAL (VX) raises a
 * signal in a process (pssig.c); PS_SERVES (VX) says whether a server
 * for a port runs here.  It also reads, for exec,
 * segments that name another server's object (psvr_fetch), and destroys
 * them for MAP_AND_DESTROY (psvr_destroy).  Exit checkpoints to owners:
 * psckpt.c.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/svr/ksvr.h"
#include "kernel/svr/pscap.h"
#include "kernel/svr/pssig.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include "kernel/net/knet.h"
#include <amoeba/pd.h>
#include <module/header.h>
#include <module/prv.h>
#include <server/process/proc.h>
#include <stdcom.h>
#include <stderr.h>

#define FETCH_CHUNK 30000u	/* BS_READ size per transaction */

/*
 * psvr_fetch (proc_set_fetcher): read n bytes at off of the object cap
 * names - a segment on another node or a file on a file server - with the
 * Bullet read protocol (BS_READ) into dst.
 */
static errstat
psvr_fetch(const capability *cap, uint32_t off, void *dst, uint32_t n)
{
	uint8_t *d = dst;

	while (n > 0) {
		uint32_t want = MIN(n, FETCH_CHUNK);
		header h;
		int32_t got;

		hdr_init(&h, cap, BS_READ);
		h.h_offset = (int32)off;
		h.h_size = (bufsize)want;
		got = ktrans(&h, NULL, 0, &h, d, want);
		if (got < 0)
			return got;
		if (ERR_STATUS(h.h_status))
			return ERR_CONVERT(h.h_status);
		if (got == 0)
			return STD_ARGBAD; /* the object is shorter than the PD says */
		d += got;
		off += (uint32_t)got;
		n -= (uint32_t)got;
	}
	return STD_OK;
}

static uint32_t
reply(header *h, errstat st)
{
	h->h_status = (command)st;
	return 0;
}

/* psvr_destroy (proc_set_fetcher): std_destroy another server's object. */
static errstat
psvr_destroy(const capability *cap)
{
	header h;
	int32_t r;

	hdr_init(&h, cap, STD_DESTROY);
	r = ktrans(&h, NULL, 0, &h, NULL, 0);
	if (r < 0)
		return r;
	return ERR_CONVERT(h.h_status);
}


/* The process named by h's capability (checked), with its rights. */
static struct proc *
proc_of(const header *h, rights_bits *r)
{
	return pscap_decode(&h->h_priv, r);
}

static uint32_t
ps_exec(struct ksvr *s, struct ksvr_req *r)
{
	rights_bits rights;
	struct proc *p;
	capability cap;
	errstat err;

	if (ksvr_check(s, r->h, &rights) != STD_OK)
		return reply(r->h, STD_CAPBAD);
	if (!(rights & PSR_EXEC))
		return reply(r->h, STD_DENIED);
	p = proc_exec(r->req, r->reqlen, "exec", NULL, NULL, NULL, 0,
		      PRIO_NORM, &err);
	if (p == NULL)
		return reply(r->h, err);
	proc_detach(p);
	pscap_encode(p, PSR_ALL, &cap);
	r->h->h_port = cap.cap_port;
	r->h->h_priv = cap.cap_priv;
	return reply(r->h, STD_OK);
}

static uint32_t
ps_seg_create(struct ksvr *s, struct ksvr_req *r)
{
	struct segment *sg;
	rights_bits rights;
	capability cap;

	if (ksvr_check(s, r->h, &rights) != STD_OK)
		return reply(r->h, STD_CAPBAD);
	if (!(rights & PSR_CREATE))
		return reply(r->h, STD_DENIED);
	if (r->h->h_offset < 0 || (uint32_t)r->h->h_offset > SEG_MAXLEN)
		return reply(r->h, STD_ARGBAD);
	sg = seg_create((uint32_t)r->h->h_offset);
	if (sg == NULL)
		return reply(r->h, STD_NOSPACE);
	seg_keep(sg, NULL); /* until std_destroy */
	seg_unref(sg);
	seg_cap(sg, PRV_ALL_RIGHTS, &cap);
	r->h->h_port = cap.cap_port;
	r->h->h_priv = cap.cap_priv;
	return reply(r->h, STD_OK);
}

/* Commands on a segment capability. */
static uint32_t
seg_command(struct ksvr_req *r)
{
	capability cap = { r->h->h_port, r->h->h_priv };
	rights_bits rights;
	errstat err;
	struct segment *sg = seg_lookup(&cap, &rights, &err);
	uint32_t off = (uint32_t)r->h->h_offset, n;

	if (sg == NULL)
		return reply(r->h, err);
	switch (r->h->h_command) {
	case BS_SIZE:
		r->h->h_offset = (int32)sg->len;
		return reply(r->h, STD_OK);
	case BS_READ:
		if (!(rights & PSR_READ))
			return reply(r->h, STD_DENIED);
		if (r->h->h_offset < 0 || off > sg->len)
			return reply(r->h, STD_ARGBAD);
		n = MIN(MIN(sg->len - off, r->h->h_size), r->repmax);
		seg_read(sg, off, r->rep, n);
		r->h->h_size = (bufsize)n;
		reply(r->h, STD_OK);
		return n;
	case PS_SEG_WRITE:
		if (!(rights & PSR_WRITE))
			return reply(r->h, STD_DENIED);
		if (r->h->h_offset < 0)
			return reply(r->h, STD_ARGBAD);
		return reply(r->h, seg_write(sg, off, r->req, r->reqlen));
	case STD_DESTROY:
		if (!(rights & PSR_DELETE))
			return reply(r->h, STD_DENIED);
		return reply(r->h, seg_destroy(sg));
	case STD_INFO:
		n = (uint32_t)ksnprintf((char *)r->rep, r->repmax,
					"segment %d, %u bytes", sg->id, sg->len);
		reply(r->h, STD_OK);
		return MIN(n, r->repmax - 1);
	default:
		return reply(r->h, STD_COMBAD);
	}
}

/* PS_SIGNAL (VX): signal h_offset to p (pssig.c). */
static uint32_t
ps_signal(struct ksvr_req *r, struct proc *p, rights_bits rights)
{
	if (!(rights & PSR_KILL))
		return reply(r->h, STD_DENIED);
	return reply(r->h, pssig_signal(p, r->h->h_offset));
}

/* Commands on a process capability. */
static uint32_t
proc_command(struct ksvr_req *r)
{
	rights_bits rights;
	struct proc *p = proc_of(r->h, &rights);
	uint32_t n;

	if (p == NULL)
		return reply(r->h, STD_CAPBAD);
	switch (r->h->h_command) {
	case STD_INFO:
		n = (uint32_t)ksnprintf((char *)r->rep, r->repmax,
					"process %d %s", p->pid, p->name);
		reply(r->h, STD_OK);
		return MIN(n, r->repmax - 1);
	case STD_DESTROY:
		if (!(rights & PSR_KILL))
			return reply(r->h, STD_DENIED);
		proc_kill(p, PROC_KILLED, r->h->h_offset);
		return reply(r->h, STD_OK);
	case PS_STUN:
		if (!(rights & PSR_KILL))
			return reply(r->h, STD_DENIED);
		return reply(r->h, psckpt_stun(p, r->h->h_offset));
	case PS_SIGNAL:
		return ps_signal(r, p, rights);
	case PS_GETOWNER:
		if (!(rights & PSR_READ))
			return reply(r->h, STD_DENIED);
		r->h->h_port = p->owner.cap_port;
		r->h->h_priv = p->owner.cap_priv;
		return reply(r->h, STD_OK);
	case PS_SETOWNER:
		if (!(rights & PSR_WRITE))
			return reply(r->h, STD_DENIED);
		if (r->reqlen < sizeof(capability))
			return reply(r->h, STD_ARGBAD);
		memcpy(&p->owner, r->req, sizeof(capability));
		return reply(r->h, STD_OK);
	default:
		return reply(r->h, STD_COMBAD);
	}
}

static void
count_runnable(struct thread *t, void *arg)
{
	if (t->proc != NULL && (t->state == TS_RUNNABLE ||
				t->state == TS_RUNNING))
		(*(uint32_t *)arg)++;
}

/* PS_GETLOAD: free memory, runnable user threads * 1024. */
static uint32_t
ps_getload(struct ksvr *s, struct ksvr_req *r)
{
	uint32_t n = 0;

	if (ksvr_check(s, r->h, NULL) != STD_OK)
		return reply(r->h, STD_CAPBAD);
	thread_foreach(count_runnable, &n);
	r->h->h_offset = (int32)(page_free_count() * PAGE_SIZE);
	r->h->h_size = (bufsize)(n * 1024);
	r->h->h_extra = 0;
	return reply(r->h, STD_OK);
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* One PS_LIST entry (server/process/proc.h) for p. */
static void
list_entry(const struct proc *p, rights_bits rights, uint8_t *b)
{
	uint32_t mem = 0;
	capability cap;

	for (int i = 0; i < PROC_MAXMAP; i++)
		if (p->map[i].seg != NULL)
			mem += p->map[i].len;
	put32(b, (uint32_t)p->pid);
	put32(b + 4, p->state == PS_LIVE ? PSL_RUNNING : PSL_DYING);
	put32(b + 8, mem / 1024);
	put32(b + 12, (uint32_t)p->nthreads);
	put32(b + 16, NULLPORT(&p->owner.cap_port) ? 0 : PSL_OWNED);
	memset(b + 20, 0, PS_NAMELEN);
	strncpy((char *)b + 20, p->name, PS_NAMELEN - 1);
	pscap_encode(p, rights, &cap);
	memcpy(b + 20 + PS_NAMELEN, &cap, sizeof(cap));
}

/* PS_LIST: every live process with a capability of at most our rights. */
static uint32_t
ps_list(struct ksvr *s, struct ksvr_req *r)
{
	rights_bits rights;
	uint32_t n = 0;

	if (ksvr_check(s, r->h, &rights) != STD_OK)
		return reply(r->h, STD_CAPBAD);
	for (int pid = 0; pid < NPROC; pid++) {
		struct proc *p = proc_by_pid(pid);

		if (p == NULL || (p->state != PS_LIVE && p->state != PS_DYING))
			continue;
		if (n + PS_ENTRYSIZE > r->repmax)
			break;
		list_entry(p, rights & PSR_ALL, (uint8_t *)r->rep + n);
		n += PS_ENTRYSIZE;
	}
	r->h->h_size = (bufsize)n;
	reply(r->h, STD_OK);
	return n;
}

/*
 * PS_SERVES (VX, migration): does a thread of this node listen on the
 * put-port in the body?  STD_OK if so, STD_NOTFOUND if not: the answer
 * a FLIP locate of the port would get from this node (ax -near).
 */
static uint32_t
ps_serves(struct ksvr *s, struct ksvr_req *r)
{
	port pub;

	if (ksvr_check(s, r->h, NULL) != STD_OK)
		return reply(r->h, STD_CAPBAD);
	if (r->reqlen < PORTSIZE)
		return reply(r->h, STD_ARGBAD);
	memcpy(&pub, r->req, PORTSIZE);
	if (NULLPORT(&pub))
		return reply(r->h, STD_ARGBAD);
	r->h->h_size = 0;
	return reply(r->h, knet_serves(&pub) ? STD_OK : STD_NOTFOUND);
}

static uint32_t
psvr_handle(struct ksvr *s, struct ksvr_req *r)
{
	objnum obj = prv_number(&r->h->h_priv);

	if ((obj >> 16) == 'S')
		return seg_command(r);
	if ((obj >> 16) == 'P')
		return proc_command(r);
	switch (r->h->h_command) {
	case PS_EXEC:
		return ps_exec(s, r);
	case PS_GETDEF:
		if (ksvr_check(s, r->h, NULL) != STD_OK)
			return reply(r->h, STD_CAPBAD);
		r->h->h_size = PAGE_SHIFT;
		r->h->h_extra = (uint16)(USER_BASE >> PAGE_SHIFT);
		r->h->h_offset = (int32)(USER_END >> PAGE_SHIFT);
		return reply(r->h, STD_OK);
	case PS_GETLOAD:
		return ps_getload(s, r);
	case PS_LIST:
		return ps_list(s, r);
	case PS_SERVES:
		return ps_serves(s, r);
	case PS_SEG_CREATE:
		return ps_seg_create(s, r);
	default:
		return reply(r->h, STD_COMBAD);
	}
}

/* std_status: one line per process, then memory. */
static uint32_t
psvr_status(struct ksvr *s, char *buf, uint32_t max)
{
	uint32_t n = 0;
	int k;

	(void)s;
	for (int pid = 0; pid < NPROC && n + 64 < max; pid++) {
		struct proc *p = proc_by_pid(pid);

		if (p == NULL || p->state != PS_LIVE)
			continue;
		k = ksnprintf(buf + n, max - n, "%d %s threads %d prio %d\n",
			      p->pid, p->name, p->nthreads, p->prio);
		n += MIN((uint32_t)k, max - n - 1);
	}
	k = ksnprintf(buf + n, max - n, "%u pages free, %d segments\n",
		      page_free_count(), seg_count());
	return n + MIN((uint32_t)k, max - n - 1);
}

static struct ksvr psvr = {
	.name = PROCESS_SVR_NAME, .info = "% process server",
	.nthreads = 2, .handle = psvr_handle, .status = psvr_status,
};

void
psvr_init(void)
{
	kdir_serve(&psvr);
	seg_server_port = psvr.putport; /* segments live on the same port */
	proc_set_fetcher(psvr_fetch, psvr_destroy);
	psckpt_init();
}
