/*
 * knet_nic.c - attach every NIC the drivers found to the FLIP switch:
 * FLIP sends through nic_send, or nic_send2 for header and payload
 * apart, and the NIC's receive hook hands FLIP frames (ethertype 0x8146)
 * to the switch from the driver's interrupt thread.  Other frames are
 * counted and dropped.  A group multicast MAC that FLIP asks for
 * (FC_MCREQ) joins the NIC's filter, so a multicast to a group goes out
 * as one frame instead of a copy per member's node.
 */
#include "kernel/klib.h"
#include "kernel/net/knet.h"
#include "kernel/krandom.h"
#include "drivers/net/nic.h"

#define ETHERTYPE_FLIP 0x8146

static uint32_t foreign_frames;

static void
flip_send(void *drv, const uint8_t *frame, size_t len)
{
	nic_send(drv, frame, len);
}

static void
flip_nic_send2(void *drv, const uint8_t *hdr, size_t hlen,
	       const uint8_t *data, size_t dlen, int more)
{
	nic_send2(drv, hdr, hlen, data, dlen, more != 0);
}

static void
flip_nic_flush(void *drv)
{
	nic_flush(drv);
}

/* FLIP's hardware multicast (FC_MCREQ): also take frames to mac. */
static int
flip_nic_mcast(void *drv, const uint8_t mac[6])
{
	return nic_multicast_add(drv, mac) == STD_OK ? 0 : -1;
}

static const struct flip_netops nic_flip_ops = {
	.send = flip_send,
	.send2 = flip_nic_send2,
	.flush = flip_nic_flush,
	.mcast = flip_nic_mcast,
};

static void
flip_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	(void)nic;
	krandom_stir((uint32_t)len); /* NIC timing feeds the entropy pool */
	if (len < 14 || ((frame[12] << 8) | frame[13]) != ETHERTYPE_FLIP) {
		foreign_frames++;
		return;
	}
	knet_input((int)(uintptr_t)arg, frame, (uint32_t)len);
}

/* knet_attach_nics: every registered NIC joins FLIP as a network. */
void
knet_attach_nics(void)
{
	for (int i = 0; i < nic_count(); i++) {
		struct nic *nic = nic_get(i);
		int ntw = knet_attach(&nic_flip_ops, nic, nic->mac, nic->nrx);

		if (ntw < 0) {
			kprintf("knet: %s: cannot attach to FLIP\n", nic->name);
			continue;
		}
		nic_set_rx(nic, flip_rx, (void *)(uintptr_t)ntw);
		kprintf("knet: %s (%s) is FLIP network %d\n", nic->name,
			nic->model, ntw);
	}
}
