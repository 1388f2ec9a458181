/*
 * small.c - the small kernel servers: random (RND_GETRANDOM), time of
 * day (TOD_GETTIME) and sys (SYS_PRINTBUF: the kernel log; SYS_KSTAT and
 * std_status: scheduler, memory, FLIP and RPC statistics).
 */
#include <string.h>

#include <stdarg.h>

#include "blkdev.h"
#include "klib.h"
#include "knet.h"
#include "krandom.h"
#include "ksvr.h"
#include "mem.h"
#include "nic.h"
#include "proc.h"
#include "procsvr.h"
#include "seg.h"
#include "thread.h"
#include "drivers/pci/pci.h"
#include "drivers/rtc/rtc.h"
#include <server/random/random.h>
#include <server/systask/systask.h>
#include <server/tod/tod.h>
#include <stderr.h>

extern const char *node_name;

static uint32_t
rnd_handle(struct ksvr *s, struct ksvr_req *r)
{
	uint32_t n = r->h->h_size;

	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	if (r->h->h_command != RND_GETRANDOM) {
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
	if (n > MAX_RANDOM)
		n = MAX_RANDOM;
	krandom(r->rep, n);
	r->h->h_status = STD_OK;
	r->h->h_size = (bufsize)n;
	return n;
}

static uint32_t
tod_handle(struct ksvr *s, struct ksvr_req *r)
{
	int64_t sec;
	int32_t usec;

	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	if (r->h->h_command != TOD_GETTIME) {
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
	rtc_now(&sec, &usec);
	r->h->h_offset = (int32)sec;
	r->h->h_size = (bufsize)(usec / 1000);
	r->h->h_extra = 0;
	r->h->h_status = STD_OK;
	return 0;
}

/* FLIP counters and the routing table, as text; returns the length. */
static uint32_t
flip_text(char *buf, uint32_t max)
{
	const struct flip_stats *st = &knet_sw.st;
	uint32_t n = 0;
	int k;

	k = ksnprintf(buf, max,
		"flip: %u frames in, %u out, %u bad, %u hop drops, "
		"%u loop drops, %u rate drops, %u nothere, %u locates, "
		"%u routes aged\nroutes:\n",
		st->rx_frames, st->tx_frames, st->rx_bad, st->dropped_hop,
		st->dropped_loop, st->dropped_rate, st->nothere,
		st->locates_sent, st->routes_aged);
	n = MIN((uint32_t)k, max ? max - 1 : 0);
	for (int i = 0; i < FLIP_NROUTE && n + 80 < max; i++) {
		const struct flip_route *rt = &knet_sw.rt[i];
		const uint8_t *a = rt->addr.a_abytes;

		if (!rt->used)
			continue;
		k = ksnprintf(buf + n, max - n,
			"  %02x%02x%02x%02x%02x%02x%02x net %u hop %u %s\n",
			a[0], a[1], a[2], a[3], a[4], a[5], a[6], rt->ntw,
			rt->hop, rt->local ? "local" : "remote");
		n += MIN((uint32_t)k, max - n - 1);
	}
	return n;
}

/* Append to buf[*n..max) like ksnprintf; keeps *n below max. */
static void
put_text(char *buf, uint32_t max, uint32_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n + 1 >= max)
		return;
	va_start(ap, fmt);
	k = kvsnprintf(buf + *n, max - *n, fmt, ap);
	va_end(ap);
	*n += MIN((uint32_t)k, max - *n - 1);
}

/* PCI devices, NICs with their counters, block devices. */
static uint32_t
dev_text(char *buf, uint32_t max)
{
	const struct pci_dev *devs[32];
	int nd = pci_list(devs, 32);
	uint32_t n = 0;

	for (int i = 0; i < nd; i++)
		put_text(buf, max, &n, "pci %s %04x:%04x class %02x.%02x %s\n",
			 devs[i]->name, devs[i]->vendor, devs[i]->device,
			 devs[i]->class, devs[i]->subclass,
			 devs[i]->driver ? devs[i]->driver->name : "-");
	for (int i = 0; i < nic_count(); i++) {
		struct nic *nic = nic_get(i);
		struct nic_stats st;

		nic_get_stats(nic, &st);
		put_text(buf, max, &n,
			 "%s %s link %s rx %u frames %u bytes, tx %u frames "
			 "%u bytes, errors %u/%u, drops %u/%u\n",
			 nic->name, nic->model, nic_link_up(nic) ? "up" : "down",
			 (unsigned)st.rx_frames, (unsigned)st.rx_bytes,
			 (unsigned)st.tx_frames, (unsigned)st.tx_bytes,
			 st.rx_errors, st.tx_errors, st.rx_drops, st.tx_drops);
	}
	for (int i = 0; i < blkdev_count(); i++) {
		struct blkdev *bd = blkdev_get(i);

		put_text(buf, max, &n, "disk %s %u sectors, %u reads, %u writes, "
			 "%u errors\n", bd->name, (unsigned)blkdev_size(bd),
			 (unsigned)bd->stats.reads, (unsigned)bd->stats.writes,
			 bd->stats.errors);
	}
	return n;
}

/* The statistics text of SYS_KSTAT and std_status. */
static uint32_t
sys_kstat(char *buf, uint32_t max)
{
	const struct rpc_stats *rs = &knet_rpc.st;
	int n;

	n = ksnprintf(buf, max,
		"node %s\n"
		"memory: %u of %u pages free\n"
		"threads: %u live, %u switches, %u preemptions\n"
		"processes: %d live, %d segments\n"
		"rpc: %u requests, %u duplicates dropped, %u acks, %u naks, "
		"%u fails, %u enquiries, %u alives, %u retransmits, "
		"%u locates, %u local\n",
		node_name, page_free_count(), page_total_count(),
		sched_stats.nthreads, sched_stats.switches,
		sched_stats.preemptions, proc_count(), seg_count(),
		rs->requests_accepted, rs->dup_dropped, rs->acks, rs->naks,
		rs->fails, rs->enquiries, rs->alives, rs->retrans,
		rs->locates, rs->local_trans);
	if (n < 0 || (uint32_t)n >= max)
		return max ? max - 1 : 0;
	n += (int)flip_text(buf + n, max - (uint32_t)n);
	return (uint32_t)n + dev_text(buf + n, max - (uint32_t)n);
}

static uint32_t
sys_status(struct ksvr *s, char *buf, uint32_t max)
{
	(void)s;
	return sys_kstat(buf, max);
}

static uint32_t
sys_handle(struct ksvr *s, struct ksvr_req *r)
{
	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	switch (r->h->h_command) { /* h_status overlays h_command */
	case SYS_PRINTBUF:
		r->h->h_status = STD_OK;
		return (uint32_t)klog_read((char *)r->rep, r->repmax);
	case SYS_KSTAT:
		r->h->h_status = STD_OK;
		return sys_kstat((char *)r->rep, r->repmax);
	default:
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
}

static struct ksvr rnd_svr = {
	.name = RANDOM_SVR_NAME, .info = "random number server",
	.nthreads = 1, .handle = rnd_handle,
};
static struct ksvr tod_svr = {
	.name = TOD_SVR_NAME, .info = "time of day server",
	.nthreads = 1, .handle = tod_handle,
};
static struct ksvr sys_svr = {
	.name = SYS_SVR_NAME, .info = "kernel sys server",
	.nthreads = 1, .handle = sys_handle, .status = sys_status,
};

void
rndsvr_init(void)
{
	ksvr_start(&rnd_svr);
}

void
todsvr_init(void)
{
	ksvr_start(&tod_svr);
}

void
syssvr_init(void)
{
	ksvr_start(&sys_svr);
}
