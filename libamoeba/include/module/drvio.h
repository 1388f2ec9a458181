/*
 * module/drvio.h - the device access a driver's chip logic is written
 * against, the same in the kernel and in a user-space driver process, so
 * that one source (drivers/net/rtl8139_core.c) builds into both.
 *
 * Ports: dev_inb .. dev_outl (module/dev.h) are the instructions
 * themselves; the kernel may use every port, a process only the ports
 * its grant opened (dev_ports_enable, drv_open).  Memory BARs and DMA
 * memory: the wrapper fills a struct drv_res (the kernel from its page
 * allocator and PCI layer, a process from its grants through drv_open);
 * the chip logic only reads it.  Interrupts: the wrapper owns the wait
 * (the kernel's handler and interrupt thread, the library's interrupt
 * thread) and calls the chip logic's service function from there.
 * Time and turns: drv_clock_us and drv_yield, implemented once for each
 * build (drivers/drvio.c for the kernel, libamoeba/driver/driver.c for
 * processes).
 */
#ifndef MODULE_DRVIO_H
#define MODULE_DRVIO_H

#include <stdint.h>

#include <module/dev.h>

/* What a device was given, as its chip logic sees it. */
struct drv_res {
	uint16_t io;            /* I/O port base (an I/O BAR), 0: none */
	volatile void *mmio;    /* a memory BAR, mapped; NULL: none */
	uint8_t *dma_va;        /* DMA memory, as the driver addresses it */
	uint32_t dma_pa;        /* the same memory, as the device does */
	uint32_t dma_size;      /* its size in bytes */
};

/* drv_clock_us: a microsecond clock for bounded waits (intervals only). */
uint64_t drv_clock_us(void);
/* drv_yield: give other threads a turn in a long loop (kernel threads
 * are not preempted; in a process it may do nothing). */
void drv_yield(void);

/* 32-bit memory-mapped register at byte offset off of a mapped BAR. */
static inline uint32_t
drv_mmio_rd32(volatile void *base, uint32_t off)
{
	return *(volatile uint32_t *)((volatile char *)base + off);
}

static inline void
drv_mmio_wr32(volatile void *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile char *)base + off) = v;
}

#endif /* MODULE_DRVIO_H */
