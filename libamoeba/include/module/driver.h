/*
 * module/driver.h - the driver library: what a user-space driver process
 * runs, so that its own source holds only the device logic.
 *
 * A driver fills a struct drv_conf with what it needs (I/O ports, an IRQ
 * line or its PCI function's line, a PCI function by "vvvv:dddd" or
 * "bb:dd.f", DMA memory) and calls drv_open, which asks the node's sys
 * server for each grant (dev_sys_cap, module/dev.h), opens the ports,
 * maps the memory BARs and the DMA memory; then drv_start with its
 * struct drv_ops: one thread waits for the interrupt (dev_irq_wait), calls
 * ops->interrupt and acknowledges the line (dev_irq_ack); nthreads
 * threads loop getreq -> reply on the driver's port, answering std_info
 * (conf->name) and std_status (counters plus ops->status) themselves and
 * passing everything else to ops->request.  ops->request and
 * ops->interrupt run in different threads, at the same time.
 *
 * The service capability (d->cap) has all rights; drv_rights gives a
 * request's rights (the capability is checked before ops->request is
 * called: a forged one gets STD_CAPBAD).  Everything the grants gave is
 * revoked by the kernel when the process ends.
 *
 * The device access that chip logic shared with the kernel uses (ports,
 * a struct drv_res, drv_clock_us, drv_yield) is module/drvio.h, included
 * here; drv_res fills a struct drv_res from the grants.
 */
#ifndef MODULE_DRIVER_H
#define MODULE_DRIVER_H

#include <stdint.h>

#include <amoeba.h>
#include <semaphore.h>
#include <module/dev.h>
#include <module/drvio.h>

#define DRV_NOIRQ (-1)          /* conf.irq: no interrupt */
#define DRV_PCI_IRQ (-2)        /* conf.irq: the PCI function's line */
#define DRV_BUFSIZE 8192        /* request and reply buffers of a thread */

struct drv_conf {
	const char *name;       /* std_info text and log prefix */
	uint16_t port_base;     /* I/O ports (port_count 0: none) */
	uint16_t port_count;
	int irq;                /* line 0..15, DRV_NOIRQ or DRV_PCI_IRQ */
	const char *pci;        /* PCI function, NULL: none */
	uint32_t dma;           /* bytes of DMA memory, 0: none */
};

struct drv;

struct drv_ops {
	/* request: a request that is not std_info/std_status: set
	 * h->h_status, put the reply in rep[0..repmax) and return its
	 * length. */
	int32 (*request)(struct drv *d, header *h, char *req, int32 reqlen,
			 char *rep, int32 repmax);
	/* interrupt: the line fired; the library acknowledges it after. */
	void (*interrupt)(struct drv *d);
	/* status: extra std_status text into buf; returns its length. */
	int (*status)(struct drv *d, char *buf, int max);
};

struct drv {
	const struct drv_conf *conf;
	const struct drv_ops *ops;
	capability sys;         /* the sys server (admin right) */
	capability ports, irq, pci, dma; /* the grants held */
	int line;               /* the interrupt line, -1: none */
	struct dev_pci_info info; /* conf->pci: the function */
	volatile void *bar[6];  /* its memory BARs, mapped (NULL: none) */
	volatile void *dma_va;  /* DMA memory, mapped */
	uint32_t dma_phys;      /* and its physical address */
	port getport;           /* the service's get-port */
	port check;             /* check secret of d->cap */
	capability cap;         /* the service capability */
	volatile uint32_t requests;  /* requests served */
	volatile uint32_t interrupts; /* interrupts handled */
	void *user;             /* the driver's own state */
};

/* drv_open: all the grants conf asks for; STD_OK or the first error
 * (logged on stderr as "NAME: what: error"). */
errstat drv_open(struct drv *d, const struct drv_conf *conf);
/* drv_start: the interrupt thread and nthreads server threads. */
errstat drv_start(struct drv *d, const struct drv_ops *ops, int nthreads);
/* drv_serve: drv_start, then serve in the calling thread too (no return). */
void drv_serve(struct drv *d, const struct drv_ops *ops)
	__attribute__((noreturn));
/* drv_rights: the rights of the capability in request h (0 if bad). */
rights_bits drv_rights(struct drv *d, const header *h);
/* drv_res: what drv_open gave (first I/O BAR, first memory BAR, DMA). */
void drv_res(const struct drv *d, struct drv_res *r);

/* Memory-mapped registers of BAR b at byte offset off. */
static inline uint32_t
drv_rd32(struct drv *d, int b, uint32_t off)
{
	return drv_mmio_rd32(d->bar[b], off);
}

static inline void
drv_wr32(struct drv *d, int b, uint32_t off, uint32_t v)
{
	drv_mmio_wr32(d->bar[b], off, v);
}

#endif /* MODULE_DRIVER_H */
