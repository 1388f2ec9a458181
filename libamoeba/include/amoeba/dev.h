/*
 * amoeba/dev.h - the device-grant ABI shared by the kernel and libamoeba:
 * the newsys codes that use a grant in the calling process, the sys
 * server commands that hand grants out, and the PCI information record.
 *
 * A grant is a capability for an object of the node's sys server (object
 * number > 0).  It is asked for by RPC (SYS_DEV_PORTS ... SYS_DEV_DMA on
 * the sys server's capability, which needs SYS_RGT_ADMIN; the reply
 * header carries the grant in h_port/h_priv) and used by the system calls
 * below, which take a pointer to it.  The first process that uses a grant
 * becomes its holder; other processes get STD_DENIED.  When the holder
 * ends, the grant is revoked: ports closed, IRQ masked and unbound, bus
 * mastering off, mappings removed, DMA memory freed.  std_destroy on a
 * grant revokes it too.
 */
#ifndef AMOEBA_DEV_H
#define AMOEBA_DEV_H

#include <stdint.h>

#include <cmdreg.h>

/* newsys codes (VX's device block; amoeba/syscall.h has the others). */
#define SYS_DEV_FIRST 140
#define SYS_DEV_PORTS_ENABLE 140 /* (grant *) -> 0: its ports open to this process */
#define SYS_DEV_IRQ_WAIT 141     /* (grant *, ms; 0 = forever) -> 0, STD_NOTNOW on timeout */
#define SYS_DEV_IRQ_ACK 142      /* (grant *) -> 0: unmask the line again */
#define SYS_DEV_PCI_INFO 143     /* (grant *, struct dev_pci_info *) -> 0 */
#define SYS_DEV_PCI_MAP 144      /* (grant *, bar, void **va out) -> 0 */
#define SYS_DEV_PCI_BUSMASTER 145 /* (grant *, on) -> 0 */
#define SYS_DEV_DMA_MAP 146      /* (grant *, void **va out, uint32 *phys out) -> 0 */
#define SYS_DEV_LAST 149

/* sys server commands (server/systask/systask.h has the others). */
#define SYS_DEV_PORTS (SYS_FIRST_COM + 10) /* h_offset base, h_size count */
#define SYS_DEV_IRQ (SYS_FIRST_COM + 11)   /* h_offset line */
#define SYS_DEV_PCI (SYS_FIRST_COM + 12)   /* body "bb:dd.f" or "vvvv:dddd" */
#define SYS_DEV_DMA (SYS_FIRST_COM + 13)   /* h_offset size in bytes */
#define SYS_DEV_HELD (SYS_FIRST_COM + 14)  /* body a process capability ->
					      h_size: grants it holds */
#define SYS_RGT_ADMIN 0x04                 /* may ask for device grants */

#define DEV_DMA_MAX (4u << 20)   /* largest DMA segment */
#define DEV_VA_BASE 0xB8000000u  /* device window of a process: above the
				    thread stacks (libamoeba), below the
				    main stack */
#define DEV_VA_END 0xBE000000u

struct dev_pci_info {
	uint16_t vendor, device;
	uint8_t irq;            /* interrupt line, 0xFF = none */
	uint8_t nbar;           /* BAR slots in use (0..6) */
	struct {
		uint32_t base, size;
		uint8_t io;     /* 1: I/O ports, 0: memory */
	} bar[6];
};

#endif /* AMOEBA_DEV_H */
