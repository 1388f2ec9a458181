/*
 * syssvr.c - the sys server: SYS_PRINTBUF returns the kernel log;
 * SYS_KSTAT and std_status return the node's statistics as text:
 * scheduler, memory, FLIP and RPC counters, the routing table, PCI
 * devices, NICs and disks.  The device grants of user-space drivers
 * (SYS_DEV_*, and requests on a grant's capability) go to devsvr.c.
 * Entry point: syssvr_init.
 */
#include <stdarg.h>
#include <string.h>

#include "drivers/disk/blkdev.h"
#include "drivers/net/nic.h"
#include "drivers/pci/pci.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/net/knet.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/svr/ksvr.h"
#include "kernel/thread.h"
#include <amoeba/dev.h>
#include <module/prv.h>
#include <server/systask/systask.h>
#include <stderr.h>

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
		cmdline_node(), page_free_count(), page_total_count(),
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
	uint32_t n;

	(void)s;
	n = sys_kstat(buf, max);
	return n + devsvr_status(buf + n, max - n);
}

static uint32_t
sys_handle(struct ksvr *s, struct ksvr_req *r)
{
	rights_bits rights;

	if (prv_number(&r->h->h_priv) != 0)
		return devsvr_object(r);
	if (ksvr_check(s, r->h, &rights) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	switch (r->h->h_command) { /* h_status overlays h_command */
	case SYS_DEV_PORTS: case SYS_DEV_IRQ: case SYS_DEV_PCI:
	case SYS_DEV_DMA:
		return devsvr_request(r, rights);
	case SYS_DEV_HELD:
		return devsvr_held(r);
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

static struct ksvr sys_svr = {
	.name = SYS_SVR_NAME, .info = "kernel sys server",
	.nthreads = 1, .handle = sys_handle, .status = sys_status,
};

void
syssvr_init(void)
{
	kdir_serve(&sys_svr);
	devsvr_init(&sys_svr);
}
