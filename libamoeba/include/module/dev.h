/*
 * module/dev.h - device grants for user-space drivers (VX).
 *
 * A driver asks the sys server of its own node for grants, then uses
 * them in its own process.  The sys capability must carry the
 * administrative right SYS_RGT_ADMIN (0x04); a program gets it from the
 * node's kernel directory, kdir_lookup(NULL, "sys", &sys) (the node from
 * $VX_NODE, which the kernel and the boot server set), or as the "SYS"
 * entry of its capability environment (dev_sys_cap does both, in that
 * order of preference: capability environment first).  A capability
 * without the right gets STD_DENIED; a forged grant STD_CAPBAD.
 * Grants are held by the first process that uses one and revoked when it
 * ends (amoeba/dev.h).
 */
#ifndef MODULE_DEV_H
#define MODULE_DEV_H

#include <stdint.h>

#include <amoeba.h>
#include <amoeba/dev.h>

/* dev_sys_cap: the sys server capability: $SYS in the capability
 * environment, else "sys" in this node's kernel directory. */
errstat dev_sys_cap(capability *sys);

/* Asking the node's sys server for a grant. */
errstat dev_ports(capability *sys, uint16_t base, uint16_t count,
		  capability *grant);
errstat dev_irq(capability *sys, int line, capability *grant);
/* spec: "bb:dd.f" (bus:device.function) or "vvvv:dddd" (vendor:device) */
errstat dev_pci(capability *sys, const char *spec, capability *grant);
/* size bytes, physically contiguous, at most DEV_DMA_MAX */
errstat dev_dma(capability *sys, uint32_t size, capability *grant);

/* dev_held: *count = the grants process proc holds on the node of the
 * sys server sys (any right on either capability will do). */
errstat dev_held(capability *sys, const capability *proc, int *count);

/* Using a grant in the calling process. */
/* exactly those ports become usable (a PCI grant: its I/O BARs) */
errstat dev_ports_enable(capability *grant);
/* STD_OK when the line fired (interrupts that came while nobody waited
 * are counted); STD_NOTNOW on timeout (ms 0: no timeout); the line stays
 * masked until dev_irq_ack. */
errstat dev_irq_wait(capability *grant, interval ms);
errstat dev_irq_ack(capability *grant);
errstat dev_pci_info(capability *grant, struct dev_pci_info *info);
/* memory BAR, mapped uncached into this process */
errstat dev_pci_map(capability *grant, int bar, void **va);
errstat dev_pci_busmaster(capability *grant, int on);
errstat dev_dma_map(capability *grant, void **va, uint32_t *phys);

/* Port access (only after dev_ports_enable; else a #GP ends the process). */
static inline uint8_t
dev_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
dev_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
dev_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
dev_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
dev_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
dev_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#endif /* MODULE_DEV_H */
