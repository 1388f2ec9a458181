/*
 * knet_nic.c - attach every NIC the drivers found to the FLIP switch:
 * FLIP sends through nic_send, or nic_send2 for header and payload
 * apart, and the NIC's receive hook hands FLIP frames (ethertype 0x8146)
 * to the switch from the driver's interrupt thread.  Other frames are
 * counted and dropped.
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

static const struct flip_netops nic_flip_ops = {
	.send = flip_send,
	.send2 = flip_nic_send2,
	.flush = flip_nic_flush,
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
