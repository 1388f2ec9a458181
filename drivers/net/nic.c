/*
 * nic.c - the NIC registry, the send and receive paths shared by every
 * Ethernet driver, and software address filtering (see nic.h).
 *
 * Entry points: nic_register, nic_count, nic_get, nic_find, nic_set_rx,
 * nic_send, nic_send2, nic_flush, nic_multicast_add,
 * nic_multicast_remove, nic_set_promisc, nic_link_up, nic_get_stats,
 * nic_input, nic_ether_crc, nic_wants; for drivers, net_attach.
 *
 * Concurrency: registration happens at boot; the kernel is non-preemptive
 * and none of these functions sleeps, so each runs to completion without
 * interleaving with another thread.  Nothing here is called from
 * interrupt context.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/klib.h"
#include "drivers/net/nic.h"
#include "kernel/thread.h"
#include "drivers/net/net.h"

static struct nic *nics[NIC_MAX];   /* boot, then read-only */
static int nnics;
static uint8_t scratch[ETH_FRAME_MAX]; /* nic_send2 without send2; no sleep */

static const uint8_t bcast_mac[ETH_ALEN] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF
};

/* Until an upper layer attaches, frames are only counted. */
static void
default_rx(struct nic *nic, const uint8_t *frame, size_t len, void *arg)
{
	(void)frame;
	(void)len;
	(void)arg;
	nic->stats.rx_unclaimed++;
}

int
nic_register(struct nic *nic)
{
	if (nnics == NIC_MAX || nic->ops == NULL || nic->ops->send == NULL)
		return STD_NOSPACE;
	nic->index = nnics;
	ksnprintf(nic->name, sizeof(nic->name), "eth%d", nnics);
	if (nic->rx == NULL)
		nic->rx = default_rx;
	nics[nnics++] = nic;
	kprintf("nic: %s %s %02x:%02x:%02x:%02x:%02x:%02x link %s\n",
		nic->name, nic->model, nic->mac[0], nic->mac[1], nic->mac[2],
		nic->mac[3], nic->mac[4], nic->mac[5],
		nic_link_up(nic) ? "up" : "down");
	return nic->index;
}

int
nic_count(void)
{
	return nnics;
}

struct nic *
nic_get(int i)
{
	return i >= 0 && i < nnics ? nics[i] : NULL;
}

struct nic *
nic_find(const char *name)
{
	for (int i = 0; i < nnics; i++)
		if (strcmp(nics[i]->name, name) == 0)
			return nics[i];
	return NULL;
}

void
nic_set_rx(struct nic *nic, nic_rx_fn fn, void *arg)
{
	nic->rx_arg = arg;
	nic->rx = fn ? fn : default_rx;
}

static errstat
nic_sent(struct nic *nic, errstat err, size_t len)
{
	if (err != STD_OK) {
		nic->stats.tx_drops++;
		return err;
	}
	nic->stats.tx_frames++;
	nic->stats.tx_bytes += len;
	return STD_OK;
}

errstat
nic_send(struct nic *nic, const void *frame, size_t len)
{
	uint8_t pad[ETH_ZLEN];

	if (len < ETH_HLEN || len > ETH_FRAME_MAX)
		return STD_ARGBAD;
	if (len < ETH_ZLEN) {
		memcpy(pad, frame, len);
		memset(pad + len, 0, ETH_ZLEN - len);
		frame = pad;
		len = ETH_ZLEN;
	}
	return nic_sent(nic, nic->ops->send(nic, frame, len), len);
}

errstat
nic_send2(struct nic *nic, const void *hdr, size_t hlen, const void *data,
	  size_t dlen, bool more)
{
	size_t len = hlen + dlen;

	if (hlen < ETH_HLEN || len > ETH_FRAME_MAX)
		return STD_ARGBAD;
	if (len < ETH_ZLEN || nic->ops->send2 == NULL) {
		memcpy(scratch, hdr, hlen);
		memcpy(scratch + hlen, data, dlen);
		return nic_send(nic, scratch, len);
	}
	return nic_sent(nic, nic->ops->send2(nic, hdr, hlen, data, dlen,
					     more && nic->ops->flush), len);
}

void
nic_flush(struct nic *nic)
{
	if (nic->ops->flush)
		nic->ops->flush(nic);
}

static int
mcast_index(const struct nic *nic, const uint8_t *mac)
{
	for (int i = 0; i < nic->nmcast; i++)
		if (memcmp(nic->mcast[i], mac, ETH_ALEN) == 0)
			return i;
	return -1;
}

errstat
nic_multicast_add(struct nic *nic, const uint8_t mac[ETH_ALEN])
{
	if (!(mac[0] & 1))
		return STD_ARGBAD;
	if (mcast_index(nic, mac) >= 0)
		return STD_OK;
	if (nic->nmcast == NIC_MCAST_MAX)
		return STD_NOSPACE;
	memcpy(nic->mcast[nic->nmcast++], mac, ETH_ALEN);
	if (nic->ops->set_filter)
		nic->ops->set_filter(nic);
	return STD_OK;
}

errstat
nic_multicast_remove(struct nic *nic, const uint8_t mac[ETH_ALEN])
{
	int i = mcast_index(nic, mac);

	if (i < 0)
		return STD_NOTFOUND;
	memmove(nic->mcast[i], nic->mcast[i + 1],
		(size_t)(nic->nmcast - i - 1) * ETH_ALEN);
	nic->nmcast--;
	if (nic->ops->set_filter)
		nic->ops->set_filter(nic);
	return STD_OK;
}

void
nic_set_promisc(struct nic *nic, bool on)
{
	nic->promisc = on;
	if (nic->ops->set_filter)
		nic->ops->set_filter(nic);
}

bool
nic_link_up(struct nic *nic)
{
	return nic->ops->link_up ? nic->ops->link_up(nic) : true;
}

void
nic_get_stats(struct nic *nic, struct nic_stats *out)
{
	if (nic->ops->update_stats)
		nic->ops->update_stats(nic);
	*out = nic->stats;
}

bool
nic_wants(const struct nic *nic, const uint8_t *dst)
{
	if (nic->promisc || memcmp(dst, nic->mac, ETH_ALEN) == 0)
		return true;
	if (!(dst[0] & 1))
		return false;
	return memcmp(dst, bcast_mac, ETH_ALEN) == 0 ||
	       mcast_index(nic, dst) >= 0;
}

void
nic_input(struct nic *nic, const uint8_t *frame, size_t len)
{
	if (len < ETH_HLEN || len > ETH_FRAME_MAX) {
		nic->stats.rx_errors++;
		return;
	}
	if (!nic_wants(nic, frame)) {
		nic->stats.rx_filtered++;
		return;
	}
	nic->stats.rx_frames++;
	nic->stats.rx_bytes += len;
	nic->rx(nic, frame, len, nic->rx_arg);
}

/* Bitwise CRC-32 (polynomial 0x04C11DB7), bits taken LSB first per byte. */
uint32_t
nic_ether_crc(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];

		for (int k = 0; k < 8; k++, b >>= 1) {
			uint32_t bit = ((crc >> 31) ^ b) & 1;

			crc <<= 1;
			if (bit)
				crc ^= 0x04C11DB7u;
		}
	}
	return crc;
}

/* ---- for drivers (net.h) ------------------------------------------------ */

errstat
net_attach(struct nic *nic, struct pci_dev *pci, irq_handler_t intr,
	   void (*fn)(void *), void *arg)
{
	char tname[THREAD_NAME];
	struct thread *t;

	ksnprintf(tname, sizeof(tname), "%s@%s", nic->model, pci->name);
	t = thread_create_irq(tname, fn, arg);
	if (t == NULL)
		return STD_NOMEM;
	thread_detach(t);
	if (pci_irq_attach(pci, intr, arg) != STD_OK) {
		kprintf("%s: %s: no usable interrupt line %u\n", nic->model,
			pci->name, pci->irq_line);
		return STD_NOTFOUND;
	}
	return nic_register(nic) < 0 ? STD_NOSPACE : STD_OK;
}
