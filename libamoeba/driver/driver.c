/*
 * driver.c - the driver library (module/driver.h): grants by name, the
 * interrupt thread and the request loop of a user-space driver; the
 * process side of module/drvio.h (drv_res, drv_clock_us, drv_yield).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <thread.h>
#include <module/dev.h>
#include <module/driver.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>

#define DRV_STACK 16384

/* Log "NAME: what: error" and return err. */
static errstat
fail(struct drv *d, const char *what, errstat err)
{
	fprintf(stderr, "%s: %s: %s\n", d->conf->name, what, err_why(err));
	return err;
}

/* The PCI function: grant, information, memory BARs mapped. */
static errstat
open_pci(struct drv *d)
{
	const struct drv_conf *c = d->conf;
	errstat err;

	if ((err = dev_pci(&d->sys, c->pci, &d->pci)) != STD_OK)
		return fail(d, "pci grant", err);
	if ((err = dev_pci_info(&d->pci, &d->info)) != STD_OK)
		return fail(d, "pci info", err);
	for (int b = 0; b < d->info.nbar; b++) {
		void *va;

		if (d->info.bar[b].size == 0)
			continue;
		if (d->info.bar[b].io) {
			err = dev_ports_enable(&d->pci);
			if (err != STD_OK)
				return fail(d, "pci i/o ports", err);
			continue;
		}
		if ((err = dev_pci_map(&d->pci, b, &va)) != STD_OK)
			return fail(d, "pci memory map", err);
		d->bar[b] = va;
	}
	return STD_OK;
}

errstat
drv_open(struct drv *d, const struct drv_conf *c)
{
	errstat err;
	void *va;

	memset(d, 0, sizeof(*d));
	d->conf = c;
	d->line = -1;
	if ((err = dev_sys_cap(&d->sys)) != STD_OK)
		return fail(d, "sys server", err);
	if (c->port_count) {
		err = dev_ports(&d->sys, c->port_base, c->port_count,
				&d->ports);
		if (err == STD_OK)
			err = dev_ports_enable(&d->ports);
		if (err != STD_OK)
			return fail(d, "i/o ports", err);
	}
	if (c->pci && (err = open_pci(d)) != STD_OK)
		return err;
	d->line = c->irq == DRV_PCI_IRQ ? (c->pci && d->info.irq < 16 ?
					   d->info.irq : -2) : c->irq;
	if (d->line == -2)
		return fail(d, "irq", STD_NOTFOUND);
	if (d->line >= 0 && (err = dev_irq(&d->sys, d->line, &d->irq)) !=
	    STD_OK)
		return fail(d, "irq", err);
	if (c->dma) {
		err = dev_dma(&d->sys, c->dma, &d->dma);
		if (err == STD_OK)
			err = dev_dma_map(&d->dma, &va, &d->dma_phys);
		if (err != STD_OK)
			return fail(d, "dma memory", err);
		d->dma_va = va;
	}
	uniqport(&d->getport);
	uniqport(&d->check);
	priv2pub(&d->getport, &d->cap.cap_port);
	prv_encode(&d->cap.cap_priv, 0, PRV_ALL_RIGHTS, &d->check);
	return STD_OK;
}

void
drv_res(const struct drv *d, struct drv_res *r)
{
	memset(r, 0, sizeof(*r));
	for (int b = 0; b < d->info.nbar; b++) {
		if (d->info.bar[b].io && r->io == 0)
			r->io = (uint16_t)d->info.bar[b].base;
		else if (d->bar[b] != NULL && r->mmio == NULL)
			r->mmio = d->bar[b];
	}
	r->dma_va = (uint8_t *)d->dma_va;
	r->dma_pa = d->dma_phys;
	r->dma_size = d->conf->dma;
}

/* module/drvio.h for processes: the system clock; threads are preempted. */
uint64_t
drv_clock_us(void)
{
	unsigned long long t = 0;

	sys_micro(&t);
	return t;
}

void
drv_yield(void)
{
}

rights_bits
drv_rights(struct drv *d, const header *h)
{
	rights_bits r;

	if (prv_number(&h->h_priv) != 0 ||
	    prv_decode(&h->h_priv, &r, &d->check) < 0)
		return 0;
	return r;
}

/* The interrupt thread: wait, let the driver handle it, acknowledge. */
static void
irq_thread(char *param, int psize)
{
	struct drv *d = (struct drv *)param;

	(void)psize;
	for (;;) {
		errstat err = dev_irq_wait(&d->irq, 0);

		/*
		 * STD_INTR: a stun interrupted the wait and is over (a kill
		 * never comes back to user mode: the kernel ends the thread
		 * on its way out), so wait again; interrupts that came
		 * meanwhile are counted in the grant.
		 */
		if (err == STD_NOTNOW || err == STD_INTR)
			continue;
		if (err != STD_OK) {
			fail(d, "irq wait", err);
			thread_exit();
		}
		d->interrupts++;
		if (d->ops->interrupt)
			d->ops->interrupt(d);
		dev_irq_ack(&d->irq);
	}
}

/* std_info, std_status, std_restrict; -1 if h is none of them. */
static int32
standard(struct drv *d, header *h, char *rep, int32 max)
{
	int n;

	switch (h->h_command) {
	case STD_INFO:
		n = snprintf(rep, (size_t)max, "%s", d->conf->name);
		break;
	case STD_STATUS:
		n = snprintf(rep, (size_t)max, "%s: %u requests, %u interrupts"
			     "\n", d->conf->name, (unsigned)d->requests,
			     (unsigned)d->interrupts);
		if (n >= 0 && n < max && d->ops->status)
			n += d->ops->status(d, rep + n, max - n);
		break;
	case STD_RESTRICT:
		h->h_status = (command)prv_restrict_server(&h->h_priv,
			(rights_bits)h->h_offset, &d->check, &h->h_priv);
		h->h_port = d->cap.cap_port;
		return 0;
	default:
		return -1;
	}
	h->h_status = STD_OK;
	return n < 0 ? 0 : (n >= max ? max - 1 : n);
}

static void
serve_loop(struct drv *d)
{
	char *req = malloc(DRV_BUFSIZE), *rep = malloc(DRV_BUFSIZE);
	header h;

	if (req == NULL || rep == NULL) {
		fail(d, "server buffers", STD_NOMEM);
		thread_exit();
	}
	for (;;) {
		int32 n, m;

		memset(&h, 0, sizeof(h));
		h.h_port = d->getport;
		n = rpc_getreq(&h, (bufptr)req, DRV_BUFSIZE);
		if (n < 0)
			continue;
		d->requests++;
		if (drv_rights(d, &h) == 0 && !(h.h_command == STD_RESTRICT &&
						prv_number(&h.h_priv) == 0)) {
			h.h_status = (command)STD_CAPBAD;
			m = 0;
		} else if ((m = standard(d, &h, rep, DRV_BUFSIZE)) < 0) {
			if (d->ops->request)
				m = d->ops->request(d, &h, req, n, rep,
						    DRV_BUFSIZE);
			else
				h.h_status = (command)STD_COMBAD;
			if (m < 0 || m > DRV_BUFSIZE)
				m = 0;
		}
		rpc_putrep(&h, (bufptr)rep, (f_size_t)m);
	}
}

static void
serve_thread(char *param, int psize)
{
	(void)psize;
	serve_loop((struct drv *)param);
}

errstat
drv_start(struct drv *d, const struct drv_ops *ops, int nthreads)
{
	d->ops = ops;
	if (d->line >= 0 &&
	    !thread_newthread(irq_thread, DRV_STACK, (char *)d, 0))
		return fail(d, "irq thread", STD_NOMEM);
	for (int i = 0; i < nthreads; i++)
		if (!thread_newthread(serve_thread, DRV_STACK, (char *)d, 0))
			return fail(d, "server thread", STD_NOMEM);
	return STD_OK;
}

void
drv_serve(struct drv *d, const struct drv_ops *ops)
{
	if (drv_start(d, ops, 0) != STD_OK)
		exit(1);
	serve_loop(d);
	exit(1);
}
