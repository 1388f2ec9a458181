/*
 * sim_net.c - a simulated Ethernet for host tests: segments, NICs that
 * attach to FLIP switches, a global FIFO of frames in flight with
 * optional seeded loss and a tap, and a clock-driven run loop.
 *
 * Single-threaded.  Frames sent by a switch are queued, never delivered
 * inside the send, so one node's upcalls never run inside another's.
 */
#include <stdlib.h>
#include <string.h>
#include "flip/flip.h"
#include "flip/flip_wire.h"
#include "flip/flip_port.h"
#include "tests/host/sim/sim.h"

#define SIM_MAXSW	32
#define SIM_MAXTICK	32

static struct sim_frame *sim_head, *sim_tail;
static struct sim_frame *sim_delayed;	/* duplicates waiting for their time */
static int sim_nframes;
static struct flip_switch *sim_sw[SIM_MAXSW];
static int sim_nsw;
static struct {
	void (*fn)(void *arg);
	void *arg;
} sim_ticks[SIM_MAXTICK];
static int sim_ntick;

void
sim_seg_init(struct sim_seg *seg)
{
	memset(seg, 0, sizeof(*seg));
}

static struct sim_frame *
sim_frame_new(struct sim_nic *to, const uint8_t *frame, size_t len)
{
	struct sim_frame *f = malloc(sizeof(*f));

	if (f == NULL)
		abort();
	f->next = NULL;
	f->to = to;
	f->len = len;
	f->due = 0;
	memcpy(f->data, frame, len);
	return f;
}

static void
sim_append(struct sim_frame *f)
{
	struct sim_nic *to = f->to;

	if (sim_tail)
		sim_tail->next = f;
	else
		sim_head = f;
	sim_tail = f;
	sim_nframes++;
	if (++to->backlog > to->maxq)
		to->maxq = to->backlog;
}

static void
sim_enqueue(struct sim_nic *to, const uint8_t *frame, size_t len)
{
	sim_append(sim_frame_new(to, frame, len));
}

/* Keep a copy of the frame to deliver again dup_delay ms later. */
static void
sim_duplicate(struct sim_seg *seg, struct sim_nic *to, const uint8_t *frame,
	      size_t len)
{
	struct sim_frame *f = sim_frame_new(to, frame, len);

	seg->dups++;
	f->due = flip_port_now_ms() + seg->dup_delay;
	f->next = sim_delayed;
	sim_delayed = f;
}

/* Move duplicates whose time has come to the delivery queue. */
static void
sim_release_delayed(void)
{
	struct sim_frame **pp = &sim_delayed, *f;

	while ((f = *pp) != NULL) {
		if ((int32_t)(flip_port_now_ms() - f->due) >= 0) {
			*pp = f->next;
			f->next = NULL;
			sim_append(f);
		} else {
			pp = &f->next;
		}
	}
}

/* Does nic take a frame to dst (own MAC, broadcast or enabled multicast)? */
static int
sim_accepts(const struct sim_nic *nic, const uint8_t *dst)
{
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int i;

	if (memcmp(dst, nic->mac, 6) == 0 || memcmp(dst, bc, 6) == 0)
		return 1;
	for (i = 0; (dst[0] & 1) && i < nic->nmc; i++)
		if (memcmp(dst, nic->mc[i], 6) == 0)
			return 1;
	return 0;
}

int sim_nrcv;

/* The driver multicast op: add mac to the NIC's filter. */
static int
sim_nic_mcast(void *drv, const uint8_t mac[6])
{
	struct sim_nic *nic = drv;
	int i;

	if (nic->nomcast)
		return -1;
	for (i = 0; i < nic->nmc; i++)
		if (memcmp(nic->mc[i], mac, 6) == 0)
			return 0;
	if (nic->nmc == 8)
		return -1;
	memcpy(nic->mc[nic->nmc++], mac, 6);
	return 0;
}

/* The driver send op: copy the frame to every NIC it is addressed to. */
static void
sim_nic_send(void *drv, const uint8_t *frame, size_t len)
{
	struct sim_nic *from = drv;
	struct sim_seg *seg = from->seg;
	int i;

	if (!from->up || seg == NULL || len < 60 || len > 1514)
		return;
	seg->sent++;
	if (seg->tap && !seg->tap(seg, from, frame, len))
		return;
	if (seg->loss_permille &&
	    sim_rand64() % 1000 < seg->loss_permille) {
		seg->lost++;
		return;
	}
	for (i = 0; i < seg->nnic; i++) {
		struct sim_nic *to = seg->nics[i];

		if (to == from || !to->up)
			continue;
		if (!sim_accepts(to, frame))
			continue;
		sim_enqueue(to, frame, len);
		if (seg->dup_permille &&
		    sim_rand64() % 1000 < seg->dup_permille)
			sim_duplicate(seg, to, frame, len);
	}
}

/* The flush op: send what send2 held back, oldest first. */
static void
sim_nic_flush(void *drv)
{
	struct sim_nic *nic = drv;
	int i;

	for (i = 0; i < nic->nheld; i++)
		sim_nic_send(drv, nic->held[i], nic->heldlen[i]);
	nic->nheld = 0;
}

/* The send op: after anything held back, as a NIC ring would. */
static void
sim_nic_send1(void *drv, const uint8_t *frame, size_t len)
{
	sim_nic_flush(drv);
	sim_nic_send(drv, frame, len);
}

/*
 * The gather send op: assemble the frame; with more, hold it back like
 * a NIC batching its doorbell (FLIP must flush), else send all in order.
 */
static void
sim_nic_send2(void *drv, const uint8_t *hdr, size_t hlen,
	      const uint8_t *data, size_t dlen, int more)
{
	struct sim_nic *nic = drv;
	uint8_t *f;

	if (hlen + dlen > sizeof(nic->held[0]))
		return;
	if (nic->nheld == SIM_NHELD)
		sim_nic_flush(drv);
	f = nic->held[nic->nheld];
	memcpy(f, hdr, hlen);
	memcpy(f + hlen, data, dlen);
	nic->heldlen[nic->nheld++] = hlen + dlen;
	if (!more)
		sim_nic_flush(drv);
}

static const struct flip_netops sim_netops = {
	.send = sim_nic_send1,
	.send2 = sim_nic_send2,
	.flush = sim_nic_flush,
	.mcast = sim_nic_mcast,
};

int
sim_nic_attach(struct sim_nic *nic, struct sim_seg *seg,
	       struct flip_switch *sw, const uint8_t mac[6], int trusted)
{
	memset(nic, 0, sizeof(*nic));
	if (seg->nnic == SIM_MAXNIC)
		return -1;
	nic->seg = seg;
	nic->sw = sw;
	nic->up = 1;
	memcpy(nic->mac, mac, 6);
	nic->ntw = flip_net_attach(sw, &sim_netops, nic, mac,
				   FLIP_ETH_WEIGHT, trusted,
				   sim_nrcv ? sim_nrcv : 32);
	if (nic->ntw < 0)
		return -1;
	seg->nics[seg->nnic++] = nic;
	return nic->ntw;
}

/* Drop the frames of list *pp addressed to nic. */
static void
sim_purge(struct sim_frame **pp, struct sim_nic *nic, int counted)
{
	struct sim_frame *f;

	while ((f = *pp) != NULL) {
		if (f->to != nic) {
			pp = &f->next;
			continue;
		}
		*pp = f->next;
		if (counted)
			sim_nframes--;
		free(f);
	}
}

void
sim_nic_detach(struct sim_nic *nic)
{
	struct sim_seg *seg = nic->seg;
	int i, j;

	if (seg == NULL)
		return;
	for (i = j = 0; i < seg->nnic; i++)
		if (seg->nics[i] != nic)
			seg->nics[j++] = seg->nics[i];
	seg->nnic = j;
	sim_purge(&sim_head, nic, 1);
	sim_purge(&sim_delayed, nic, 0);
	for (sim_tail = sim_head; sim_tail && sim_tail->next;)
		sim_tail = sim_tail->next;
	nic->up = 0;
	nic->seg = NULL;
}

int
sim_pending(void)
{
	return sim_nframes;
}

int
sim_deliver_one(void)
{
	struct sim_frame *f = sim_head;

	if (f == NULL)
		return 0;
	sim_head = f->next;
	if (sim_head == NULL)
		sim_tail = NULL;
	sim_nframes--;
	f->to->backlog--;
	if (f->to->up)
		flip_net_input(f->to->sw, f->to->ntw, f->data, f->len);
	free(f);
	return 1;
}

void
sim_flush(void)
{
	while (sim_deliver_one())
		;
}

void
sim_register_switch(struct flip_switch *sw)
{
	if (sim_nsw < SIM_MAXSW)
		sim_sw[sim_nsw++] = sw;
}

void
sim_register_tick(void (*fn)(void *arg), void *arg)
{
	if (sim_ntick < SIM_MAXTICK) {
		sim_ticks[sim_ntick].fn = fn;
		sim_ticks[sim_ntick].arg = arg;
		sim_ntick++;
	}
}

void
sim_reset(void)
{
	struct sim_frame *f;

	while ((f = sim_head) != NULL) {
		sim_head = f->next;
		free(f);
	}
	while ((f = sim_delayed) != NULL) {
		sim_delayed = f->next;
		free(f);
	}
	sim_tail = NULL;
	sim_nframes = 0;
	sim_nsw = 0;
	sim_ntick = 0;
}

static void
sim_tick_all(void)
{
	int i;

	for (i = 0; i < sim_nsw; i++)
		flip_tick(sim_sw[i]);
	for (i = 0; i < sim_ntick; i++)
		sim_ticks[i].fn(sim_ticks[i].arg);
}

int
sim_run(uint32_t ms, uint32_t step, int (*until)(void *), void *arg)
{
	uint32_t t;

	for (t = 0;; t += step) {
		sim_flush();
		if (until && until(arg))
			return 1;
		if (t >= ms)
			return 0;
		sim_advance(step);
		sim_release_delayed();
		sim_tick_all();
	}
}
