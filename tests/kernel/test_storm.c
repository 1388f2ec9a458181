/*
 * test_storm.c - net_storm (manual): flood the segment with malformed
 * FLIP frames - random bytes, truncated headers, lying lengths, offsets,
 * totals and hop counts, bad flow-control headers, garbage RPC locates
 * and garbage RPC packets to the public addresses this node has learned.
 * The cluster test checks that the other nodes go on serving RPCs.
 * Option stormcount=N (default 20000).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/net/knet.h"
#include "kernel/krandom.h"
#include "tests/kernel/ktest.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
#include "flip/flip_wire.h"

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A plausible FLIP header with one field made to lie. */
static size_t
make_lying(uint8_t *f, int kind, const flip_adr_t *dst)
{
	uint8_t *h = f + FLIP_ETH_HDR + FLIP_FC_SIZE;
	size_t len = FLIP_ETH_HDR + FLIP_FC_SIZE + FLIP_HDR_SIZE +
		     (rnd() % 1400);

	f[FLIP_ETH_HDR] = FC_DATA;
	f[FLIP_ETH_HDR + 1] = (uint8_t)rnd();
	h[0] = FLIP_VERSION;
	h[1] = (uint8_t)(1 + rnd() % 6);
	h[2] = (uint8_t)(rnd() & 0x35);
	h[3] = 0;
	h[4] = (uint8_t)(rnd() % 30);
	h[5] = 0;
	h[6] = (uint8_t)(rnd() % 30);
	h[7] = 0;
	memcpy(h + 8, dst, 8);
	krandom(h + 16, 8);
	put32(h + 24, rnd());
	put32(h + 28, (uint32_t)(len - (FLIP_ETH_HDR + FLIP_FC_SIZE +
					 FLIP_HDR_SIZE)));
	put32(h + 32, 0);
	put32(h + 36, (uint32_t)(len - (FLIP_ETH_HDR + FLIP_FC_SIZE +
					 FLIP_HDR_SIZE)));
	switch (kind) {
	case 0: put32(h + 28, rnd()); break;              /* length lies */
	case 1: put32(h + 32, rnd()); break;              /* offset lies */
	case 2: put32(h + 36, rnd() % 64); break;         /* total too small */
	case 3: h[4] = 0xFF; h[5] = 0xFF; break;          /* hop count */
	case 4: len = FLIP_ETH_HDR + 2 + rnd() % 40; break; /* truncated */
	case 5: h[0] = (uint8_t)rnd(); break;             /* version */
	case 6: f[FLIP_ETH_HDR] = (uint8_t)(rnd() % 9);    /* fc type */
		break;
	case 7: put32(h + 36, 0x7FFFFFFF); break;         /* huge total */
	default: /* random payload, e.g. a garbage RPC packet */
		break;
	}
	for (size_t i = FLIP_ETH_HDR + FLIP_FC_SIZE + FLIP_HDR_SIZE; i < len;
	     i++)
		f[i] = (uint8_t)rnd();
	if (kind == 8 && len >= 80) { /* RPC locate id, then garbage amphdr */
		uint8_t *d = h + FLIP_HDR_SIZE;

		d[0] = 0; d[1] = 0; d[2] = 0; d[3] = 1;
	}
	return len;
}

KTEST_FLAGS(net_storm, KTEST_MANUAL)
{
	long count = cmdline_int("stormcount", 20000);
	struct nic *nic = nic_get(0);
	uint8_t f[1514];
	flip_adr_t dst;
	long sent = 0;

	KT_ASSERT(nic != NULL);
	seed ^= arch_milli();
	for (long i = 0; i < count; i++) {
		size_t len;

		memset(f, 0xFF, 6);            /* broadcast: everyone sees it */
		memcpy(f + 6, nic->mac, 6);
		f[12] = 0x81;
		f[13] = 0x46;
		memset(&dst, 0, sizeof(dst));
		if (rnd() % 3 == 0) { /* aim at an address this node knows */
			for (int t = 0; t < 8; t++) {
				const struct flip_route *rt =
					&knet_sw.rt[rnd() % FLIP_NROUTE];

				if (rt->used) {
					dst = rt->addr;
					break;
				}
			}
		}
		if (rnd() % 8 == 0) {
			len = 14 + rnd() % 1500;
			for (size_t k = 14; k < len; k++)
				f[k] = (uint8_t)rnd();
		} else {
			len = make_lying(f, (int)(rnd() % 10), &dst);
		}
		if (len < 60)
			len = 60;
		if (nic_send(nic, f, len) == STD_OK)
			sent++;
		if ((i & 63) == 0)
			thread_yield();
	}
	kprintf("# storm: %ld of %ld frames sent\n", sent, count);
	KT_CHECK(sent > count / 2);
}
