/*
 * nic.h - the network-interface layer between Ethernet drivers and the
 * protocols (FLIP) above them.
 *
 * A driver fills in a struct nic (model, MAC, ops, receive-buffer count)
 * and calls nic_register(); it hands every received frame to
 * nic_input().  The upper layer attaches with nic_set_rx() and sends with
 * nic_send().  Frames are whole Ethernet frames: destination, source,
 * type, payload, without the FCS; nic_send pads short ones to 60 bytes.
 *
 * Filtering: nic_input drops frames not addressed to us (our MAC,
 * broadcast, or a multicast address joined with nic_multicast_add),
 * unless the NIC is promiscuous, so hash collisions in a chip's
 * multicast filter never reach the protocols.  Drivers program the chip
 * from nic->mcast[] and nic->promisc in their set_filter op.
 *
 * Concurrency: a driver's ops are called from kernel threads only, never
 * from interrupt context, and never sleep (send spins briefly if its ring
 * is full, then fails with STD_NOSPACE).  nic_input runs in the driver's
 * interrupt thread; the rx hook it calls must not block.  Counters are
 * written by one thread each (rx side: the interrupt thread; tx side:
 * the sender, the kernel being non-preemptive).
 */
#ifndef DRIVERS_NET_NIC_H
#define DRIVERS_NET_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>

#define ETH_ALEN 6
#define ETH_HLEN 14             /* dst, src, type */
#define ETH_ZLEN 60             /* minimum frame, FCS excluded */
#define ETH_FRAME_MAX 1514      /* maximum frame, FCS excluded */
#define NIC_MAX 8               /* registered interfaces */
#define NIC_MCAST_MAX 32        /* joined multicast addresses per NIC */

struct nic;

struct nic_ops {
	/* send: transmit one frame of 60..1514 bytes; copy it first. */
	errstat (*send)(struct nic *nic, const void *frame, size_t len);
	/*
	 * send2 (may be NULL): like send, the frame being hdr then data
	 * (hlen + dlen of 60..1514 bytes); saves the caller assembling it.
	 * more: other frames follow at once, so the driver may hold this
	 * one back until a send without more, or flush.
	 */
	errstat (*send2)(struct nic *nic, const void *hdr, size_t hlen,
			 const void *data, size_t dlen, bool more);
	/* flush (may be NULL): start frames send2 held back. */
	void (*flush)(struct nic *nic);
	/* set_filter: load nic->mcast[] / nic->promisc into the chip. */
	void (*set_filter)(struct nic *nic);
	/* link_up: carrier present? */
	bool (*link_up)(struct nic *nic);
	/* update_stats: fold chip counters into nic->stats (may be NULL). */
	void (*update_stats)(struct nic *nic);
};

struct nic_stats {
	uint64_t rx_frames;     /* delivered to the rx hook */
	uint64_t rx_bytes;
	uint64_t tx_frames;     /* handed to the chip */
	uint64_t tx_bytes;
	uint32_t rx_errors;     /* CRC, framing, length errors */
	uint32_t tx_errors;     /* chip reported a failed transmission */
	uint32_t rx_drops;      /* chip had no buffer (ring overrun) */
	uint32_t tx_drops;      /* ring full, frame not sent */
	uint32_t rx_filtered;   /* not for us (software filter) */
	uint32_t rx_unclaimed;  /* taken by the default hook */
	uint32_t interrupts;    /* interrupts that were ours */
};

typedef void (*nic_rx_fn)(struct nic *nic, const uint8_t *frame, size_t len,
			  void *arg);

struct nic {
	/* set by the driver before nic_register */
	const char *model;              /* "e1000", "rtl8139", "ne2k_pci" */
	uint8_t mac[ETH_ALEN];          /* station address */
	const struct nic_ops *ops;      /* the driver's one ops table */
	void *priv;                     /* driver state */
	int nrx;                        /* receive buffers (FLIP credits) */
	/* set by nic_register */
	char name[8];                   /* "eth0", "eth1", ... */
	int index;                      /* 0 .. NIC_MAX-1 */
	/* upper layer (nic_set_rx) */
	nic_rx_fn rx;                   /* receive hook */
	void *rx_arg;                   /* its argument */
	/* filter state (nic_multicast_*, nic_set_promisc) */
	uint8_t mcast[NIC_MCAST_MAX][ETH_ALEN];
	int nmcast;
	bool promisc;
	struct nic_stats stats;
};

/* nic_register: add a NIC (name eth<N>); its index, or STD_NOSPACE. */
int nic_register(struct nic *nic);
int nic_count(void);
/* nic_get: the i-th NIC, or NULL. */
struct nic *nic_get(int i);
/* nic_find: by name ("eth1"), or NULL. */
struct nic *nic_find(const char *name);

/* nic_set_rx: attach the upper layer; fn NULL restores the default. */
void nic_set_rx(struct nic *nic, nic_rx_fn fn, void *arg);
/* nic_send: pad to ETH_ZLEN and transmit; STD_ARGBAD if len is wrong. */
errstat nic_send(struct nic *nic, const void *frame, size_t len);
/*
 * nic_send2: transmit the frame hdr (hlen >= ETH_HLEN bytes) followed by
 * data (dlen bytes), padded to ETH_ZLEN; without an extra copy where the
 * driver can gather.  more: the caller sends more frames at once and
 * then calls nic_flush, so the driver may start them all together.
 */
errstat nic_send2(struct nic *nic, const void *hdr, size_t hlen,
		  const void *data, size_t dlen, bool more);
/* nic_flush: start every frame nic_send2 held back. */
void nic_flush(struct nic *nic);
/* nic_multicast_add / _remove: join or leave a group MAC. */
errstat nic_multicast_add(struct nic *nic, const uint8_t mac[ETH_ALEN]);
errstat nic_multicast_remove(struct nic *nic, const uint8_t mac[ETH_ALEN]);
void nic_set_promisc(struct nic *nic, bool on);
bool nic_link_up(struct nic *nic);
/* nic_stats: a fresh copy of the counters (chip counters folded in). */
void nic_get_stats(struct nic *nic, struct nic_stats *out);

/* For drivers: hand a received frame up (from the interrupt thread). */
void nic_input(struct nic *nic, const uint8_t *frame, size_t len);
/* nic_ether_crc: the Ethernet CRC-32, MSB-first, for multicast hashes. */
uint32_t nic_ether_crc(const uint8_t *p, size_t n);
/* nic_wants: does the software filter accept destination dst? */
bool nic_wants(const struct nic *nic, const uint8_t *dst);

#endif /* DRIVERS_NET_NIC_H */
