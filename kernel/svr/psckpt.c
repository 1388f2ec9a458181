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
 * Entry point: psckpt_init.  Concurrency: the queue is protected by
 * disabling interrupts.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/svr/ksvr.h"
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
	psvr_proc_cap(p, &pd.self);
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

void
psckpt_init(void)
{
	proc_on_gone(ckpt_gone);
	if (thread_create_kernel("ckpt", ckpt_thread, NULL, PRIO_NORM) == NULL)
		panic("cannot start the checkpoint thread");
}
