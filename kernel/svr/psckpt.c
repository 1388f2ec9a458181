/*
 * psckpt.c - exit checkpoints (spec 8.5, 8.6): when a process with an
 * owner ends (exit, stun or kill, exception), its owner is sent
 * PS_CHECKPOINT with h_extra = cause (0 exit, 1 stunned, 2 exception),
 * h_offset = detail (exit status, stun detail, exception number) and
 * the body a PD: pd_self the process capability, its segments (address,
 * length, type; null capabilities, the memory is gone) and one idle
 * thread descriptor (pd_put needs one; pc and sp 0).  The reply is
 * ignored (migration, later, will use it).
 *
 * The hook (proc_on_gone) only queues; one kernel thread sends, with a
 * bounded locate and transaction time, so an exiting process never
 * waits for its owner.  A full queue drops the checkpoint with a log
 * line (the owner's run_wait then sees the process gone).
 *
 * Stun (PS_STUN, spec 8.6): psckpt_stun freezes every thread of the
 * process (proc_stun) and queues it for the stun thread, which sends the
 * owner PS_CHECKPOINT (h_extra 1, h_offset the detail) with the full PD:
 * each mapped segment as an in-core segment capability with
 * MAP_AND_DESTROY (it answers BS_READ, so another node can pull it),
 * each thread as KSTATE + USTATE + the VX extra TDX_VXFPU (its 512-byte
 * fxsave area), the first one also with TDX_VXNAME (the process name).  If the owner replies STD_OK with a PD, the process goes
 * on here as it was; any other answer, or an owner that cannot be found
 * within STUN_LOCATE, ends it, without a second (exit) checkpoint, and
 * frees its memory.
 * Without an owner a stun simply kills.
 *
 * Entry points: psckpt_init, psckpt_stun, psckpt_getinfo.  Concurrency:
 * the queues are protected by disabling interrupts.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/svr/ksvr.h"
#include "kernel/svr/pscap.h"
#include "kernel/thread.h"
#include "kernel/net/knet.h"
#include <amoeba/pd.h>
#include <module/prv.h>
#include <server/process/proc.h>
#include <stderr.h>

#define CKPT_QUEUE	16	/* pending checkpoints */
#define CKPT_TIMEOUT	3000	/* ms: locate/transaction budget */
#define CKPT_PDMAX	(PD_HDRSIZE + PD_MAXSEG * PD_SEGSIZE + PD_THREADSIZE + 8)

struct ckpt {
	header h;			/* to the owner, ready to send */
	uint8_t pd[CKPT_PDMAX];		/* the body */
	int pdlen;
};

static struct ckpt queue[CKPT_QUEUE];	/* irq-off */
static int qhead, qcount;		/* irq-off */

static int
ckpt_cause(const struct proc *p, int32 *detail)
{
	switch (p->exit.how) {
	case PROC_FAULTED:
		*detail = p->exit.trapno;
		return 2;
	case PROC_KILLED:
		*detail = p->exit.status;
		return 1;
	default:
		*detail = p->exit.status;
		return 0;
	}
}

/* The PD of p as it ends: its segments as descriptors, one idle thread. */
static int
ckpt_pd(const struct proc *p, uint8_t *buf)
{
	struct pd_info pd;

	memset(&pd, 0, sizeof(pd));
	memcpy(pd.magic, PD_ARCH, sizeof(PD_ARCH));
	pscap_encode(p, PSR_ALL, &pd.self);
	pd.owner = p->owner;
	for (int i = 0; i < PROC_MAXMAP && pd.nseg < PD_MAXSEG; i++) {
		const struct mapping *m = &p->map[i];

		if (m->seg == NULL)
			continue;
		pd.seg[pd.nseg].sd_addr = m->va;
		pd.seg[pd.nseg].sd_len = m->len;
		pd.seg[pd.nseg++].sd_type = m->type;
	}
	if (pd.nseg == 0)
		pd.nseg = 1;	/* a zero descriptor: pd_put needs one */
	pd.nthread = 1;
	pd.thread[0].td_extra = TDX_IDLE;
	return pd_put(&pd, buf, CKPT_PDMAX);
}

/* proc_on_gone hook: queue the checkpoint of p if it has an owner. */
static void
ckpt_gone(struct proc *p)
{
	struct ckpt *c;
	uint32_t f;

	if (NULLPORT(&p->owner.cap_port))
		return;
	f = arch_irq_save();
	if (qcount == CKPT_QUEUE) {
		arch_irq_restore(f);
		kprintf("vx: checkpoint of process %d (%s) dropped: queue "
			"full\n", p->pid, p->name);
		return;
	}
	c = &queue[(qhead + qcount) % CKPT_QUEUE];
	memset(&c->h, 0, sizeof(c->h));
	c->h.h_port = p->owner.cap_port;
	c->h.h_priv = p->owner.cap_priv;
	c->h.h_command = PS_CHECKPOINT;
	c->h.h_extra = (uint16)ckpt_cause(p, &c->h.h_offset);
	c->pdlen = ckpt_pd(p, c->pd);
	if (c->pdlen < 0)
		c->pdlen = 0;
	c->h.h_size = (bufsize)c->pdlen;
	qcount++;
	arch_irq_restore(f);
	thread_wakeup(queue);
}

/* The sender: one checkpoint at a time, each within CKPT_TIMEOUT. */
static void
ckpt_thread(void *arg)
{
	static struct ckpt c;
	uint32_t f;
	header rep;
	int32_t r;

	(void)arg;
	ktimeout(CKPT_TIMEOUT);
	for (;;) {
		f = arch_irq_save();
		while (qcount == 0)
			thread_sleep(queue, 0);
		c = queue[qhead];
		qhead = (qhead + 1) % CKPT_QUEUE;
		qcount--;
		arch_irq_restore(f);
		r = ktrans(&c.h, c.pd, (uint32_t)c.pdlen, &rep, NULL, 0);
		if (r < 0 && r != RPC_NOTFOUND)
			kprintf("vx: checkpoint not delivered (%d)\n", r);
	}
}

#define STUN_QUEUE	8
#define STUN_LOCATE	3000	/* ms to find the owner (then it may take
				 * its time: it may be moving the process) */
#define STUN_WAIT	3000	/* ms: for every thread to stop */

struct stunned {
	struct proc *p;
	int pid;
	int32 detail;
};
static struct stunned stunq[STUN_QUEUE];	/* irq-off */
static int stun_head, stun_count;		/* irq-off */

/*
 * A read-only segment that exec read from another server's object (a
 * program's text in a Bullet file, exec.c): the PD names that object, so
 * that a new node fetches the text there instead of from this node, and
 * nothing is destroyed.
 */
static void
origin_segment(const struct mapping *m, struct pd_segment *sd)
{
	sd->sd_cap = m->origin;
	sd->sd_offset = m->origin_off;
	sd->sd_addr = m->origin_addr;
	sd->sd_len = m->origin_len;
	sd->sd_type = (m->type & ~MAP_PROTMASK) | MAP_READONLY;
}

/*
 * psckpt_getinfo: the PD of p (stopped, or the caller's own process with
 * only the caller running) as a checkpoint describes it, into buf.
 * Returns its size, or a negative errstat.
 */
int
psckpt_getinfo(struct proc *p, uint8_t *buf, size_t len)
{
	static struct pd_info pd;	/* big; callers hold the kernel */
	struct thread *ts[PD_MAXTHREAD];
	int n = 0;

	memset(&pd, 0, sizeof(pd));
	memcpy(pd.magic, PD_ARCH, sizeof(PD_ARCH));
	pscap_encode(p, PSR_ALL, &pd.self);
	pd.owner = p->owner;
	for (int i = 0; i < PROC_MAXMAP; i++) {
		struct mapping *m = &p->map[i];
		struct pd_segment *sd;

		if (m->seg == NULL)
			continue;
		if (pd.nseg == PD_MAXSEG)
			return STD_NOSPACE;
		sd = &pd.seg[pd.nseg++];
		if (!m->writable && !NULLPORT(&m->origin.cap_port)) {
			origin_segment(m, sd);
			continue;
		}
		seg_cap(m->seg, PRV_ALL_RIGHTS, &sd->sd_cap);
		sd->sd_addr = m->va;
		sd->sd_len = MIN(m->len, m->seg->len);
		sd->sd_type = (m->type & ~MAP_PROTMASK) | MAP_AND_DESTROY |
			      (m->writable ? MAP_READWRITE : MAP_READONLY);
	}
	for (struct thread *t = p->threads; t; t = t->pnext) {
		if (n == PD_MAXTHREAD)
			return STD_NOSPACE;
		ts[n++] = t;
	}
	if (pd.nseg == 0 || n == 0)
		return STD_ARGBAD;
	pd.nthread = n;
	for (int i = 0; i < n; i++) {	/* the list is newest first */
		struct thread *t = ts[n - 1 - i];
		struct pd_thread *td = &pd.thread[i];

		td->td_extra = TDX_RUNNING;
		if (t->fpu_used) {
			td->td_extra |= TDX_VXFPU;
			td->fpu = t->fpu_state;
		}
		if (i == 0) {
			td->td_extra |= TDX_VXNAME;
			strncpy(td->name, p->name, PD_NAMESIZE - 1);
		}
		td->kstate[1] = t->sigvec;
		td->kstate[2] = t->nsigvec;
		td->kstate[3] = (uint32_t)t->sigpending;
		td->kstate[4] = t->user_local;
		memcpy(td->ustate, t->ustate, sizeof(td->ustate));
	}
	n = pd_put(&pd, buf, len);
	return n < 0 ? STD_NOSPACE : n;
}

errstat
psckpt_stun(struct proc *p, int32 detail)
{
	errstat err;
	uint32_t f;

	if (NULLPORT(&p->owner.cap_port)) {
		proc_kill(p, PROC_KILLED, detail);
		return STD_OK;
	}
	err = proc_stun(p);
	if (err != STD_OK)
		return err;
	if (!proc_stun_wait(p, STUN_WAIT)) {
		proc_resume(p);
		return STD_NOTNOW;
	}
	f = arch_irq_save();
	if (stun_count == STUN_QUEUE) {
		arch_irq_restore(f);
		proc_resume(p);
		return STD_NOSPACE;
	}
	stunq[(stun_head + stun_count) % STUN_QUEUE] =
		(struct stunned){ p, p->pid, detail };
	stun_count++;
	arch_irq_restore(f);
	thread_wakeup(stunq);
	return STD_OK;
}

/* End a stunned process without an exit checkpoint to its owner. */
static void
stun_end(struct proc *p, int32 detail)
{
	memset(&p->owner, 0, sizeof(p->owner));
	proc_kill(p, PROC_KILLED, detail);
}

/* The stun thread: the checkpoint of each stunned process, and its fate. */
static void
stun_thread(void *arg)
{
	static uint8_t pdbuf[PSVR_BUFSZ], repbuf[PSVR_BUFSZ];
	static struct pd_info reppd;
	struct stunned st;
	header h;
	int32_t r;
	int n;
	uint32_t f;

	(void)arg;
	ktimeout(STUN_LOCATE);
	for (;;) {
		f = arch_irq_save();
		while (stun_count == 0)
			thread_sleep(stunq, 0);
		st = stunq[stun_head];
		stun_head = (stun_head + 1) % STUN_QUEUE;
		stun_count--;
		arch_irq_restore(f);
		if (st.p->pid != st.pid || st.p->state != PS_LIVE ||
		    !st.p->stun)
			continue;
		n = psckpt_getinfo(st.p, pdbuf, sizeof(pdbuf));
		if (n < 0) {
			kprintf("vx: checkpoint of process %d: %d\n", st.pid, n);
			stun_end(st.p, st.detail);
			continue;
		}
		memset(&h, 0, sizeof(h));
		h.h_port = st.p->owner.cap_port;
		h.h_priv = st.p->owner.cap_priv;
		h.h_command = PS_CHECKPOINT;
		h.h_extra = 1;
		h.h_offset = st.detail;
		h.h_size = (bufsize)n;
		r = ktrans(&h, pdbuf, (uint32_t)n, &h, repbuf, sizeof(repbuf));
		if (st.p->state != PS_LIVE)
			continue;
		if (r > 0 && h.h_status == STD_OK &&
		    pd_get(repbuf, (size_t)r, &reppd) > 0)
			proc_resume(st.p);	/* goes on here */
		else
			stun_end(st.p, st.detail);
	}
}

void
psckpt_init(void)
{
	proc_on_gone(ckpt_gone);
	proc_set_getinfo(psckpt_getinfo);
	if (thread_create_kernel("ckpt", ckpt_thread, NULL, PRIO_NORM) == NULL ||
	    thread_create_kernel("stun", stun_thread, NULL, PRIO_NORM) == NULL)
		panic("cannot start the checkpoint threads");
}
