/*
 * rtl8139_core.h - the RTL8139's chip logic, one source built into the
 * kernel driver (drivers/net/rtl8139.c) and into the user-space driver
 * (userland/drivers/rtl8139): registers, reset and start, the receive
 * ring, the four transmit slots, the filter.
 *
 * It is written against module/drvio.h (ports, a struct drv_res with the
 * DMA memory, drv_clock_us, drv_yield) and the NIC interface (nic.h): a
 * wrapper embeds a struct rtl, fills sc->res, and hands received frames
 * on through nic_input, which the kernel's NIC layer implements and the
 * user driver implements as its hand-over to the kernel's proxy network.
 * The wrapper owns the interrupt: its handler calls rtl_intr_causes, its
 * thread rtl_service.
 *
 * Concurrency: as nic.h says, rtl_service (the receive ring) runs in one
 * thread, rtl_send (the transmit slots) in one other at a time.
 */
#ifndef DRIVERS_NET_RTL8139_CORE_H
#define DRIVERS_NET_RTL8139_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <module/drvio.h>

#include "drivers/net/nic.h"

#define RTL_RXRING 65536u       /* the chip's receive ring */
#define RTL_RXAREA 0x11000u     /* ring + 16 + a wrapped frame, in pages */
#define RTL_NTX 4               /* transmit slots */
#define RTL_TXBUF 2048          /* bytes per slot */
#define RTL_DMA (RTL_RXAREA + RTL_NTX * RTL_TXBUF) /* DMA memory needed */

/* ISR causes a wrapper may look at. */
#define RTL_ISR_LINK 0x0020

struct rtl {
	struct nic nic;                 /* must be first */
	struct drv_res res;             /* io, DMA memory (RTL_DMA bytes) */
	uint32_t rx_off;                /* receive thread: ring offset */
	uint8_t rxframe[ETH_FRAME_MAX + 4]; /* a wrapped frame, reassembled */
	unsigned tx_next;               /* sender: next slot */
};

/* rtl_chip_reset: power on and reset (bounded); false if it hung. */
bool rtl_chip_reset(struct rtl *sc);
/* rtl_chip_start: read the MAC into sc->nic.mac, start the ring and the
 * transmitter, no multicast; interrupts stay masked. */
void rtl_chip_start(struct rtl *sc);
/* rtl_intr_enable: unmask the causes rtl_service handles. */
void rtl_intr_enable(struct rtl *sc);
/* rtl_intr_causes: read and acknowledge ISR (the chip lowers its line);
 * 0 if the interrupt was not ours. */
uint16_t rtl_intr_causes(struct rtl *sc);
/* rtl_service: count overruns in causes, drain the ring into nic_input. */
void rtl_service(struct rtl *sc, uint16_t causes);
/* rtl_load_filter: the 64-bit multicast hash and promiscuous mode. */
void rtl_load_filter(struct rtl *sc, const uint8_t mar[8], bool promisc);

/* nic ops (nic->priv is the struct rtl) */
errstat rtl_send(struct nic *nic, const void *frame, size_t len);
bool rtl_link_up(struct nic *nic);
void rtl_update_stats(struct nic *nic);

#endif /* DRIVERS_NET_RTL8139_CORE_H */
