/*
 * devsvr.c - device grants for user-space drivers (amoeba/dev.h).
 *
 * The sys server hands out grants, capabilities for objects 1..DEV_NGRANT
 * of its own port, each with its own check secret: a range of I/O ports,
 * an IRQ line, a PCI function, or a physically contiguous DMA segment.
 * devsvr_request creates one (the caller checked SYS_RGT_ADMIN);
 * devsvr_held tells how many a process holds (migrate refuses to move
 * such a process: its grants are of this machine);
 * sys_dev is the system call that uses one in the calling process.  The
 * first process to use a grant holds it; when that process ends
 * (proc_on_gone) or the grant is std_destroyed, it is revoked: ports
 * closed, the line masked and unbound, bus mastering and INTx off, the
 * mappings removed and the DMA pages freed.
 *
 * A process's ports live in its own 8 KiB bitmap (struct proc iomap),
 * of which only the touched byte range is copied into the TSS when the
 * process is switched in (kernel/arch/i386/context.c).  Device memory is
 * mapped in the window [DEV_VA_BASE, DEV_VA_END) of the process.
 *
 * Concurrency: the table is changed only by threads in the kernel (the
 * sys server thread and system calls), which are not preempted and do
 * not block while they change it; the interrupt handler touches only a
 * grant's pending count and its line, and those are read with
 * interrupts off.
 */
#include <string.h>

#include "drivers/char/uart.h"
#include "drivers/pci/pci.h"
#include "kernel/arch/arch.h"
#include "kernel/arch/vm.h"
#include "kernel/klib.h"
#include "kernel/krandom.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include "kernel/svr/ksvr.h"
#include "kernel/svr/pscap.h"
#include <amoeba/dev.h>
#include <module/prv.h>
#include <stdcom.h>
#include <stderr.h>

#define DEV_NGRANT 32

enum grant_kind { G_FREE = 0, G_PORTS, G_IRQ, G_PCI, G_DMA };

struct grant {
	enum grant_kind kind;
	port check;             /* check-field secret of its capability */
	struct proc *holder;    /* NULL until a process uses it */
	uint32_t gen;           /* bumped on revocation (wakes waiters) */
	uint32_t made;          /* creation order: the oldest unused goes first */
	uint16_t base, count;   /* G_PORTS */
	int line;               /* G_IRQ */
	bool bound;             /* G_IRQ: handler registered */
	uint32_t pending;       /* G_IRQ: interrupts not yet waited for (irq-off) */
	uint32_t fired;         /* G_IRQ: all interrupts seen (irq-off) */
	struct pci_dev *pci;    /* G_PCI */
	uint32_t bar_va[PCI_NBAR]; /* G_PCI: mapped BARs (0 = none) */
	uint32_t size;          /* G_DMA: bytes asked for */
	uint32_t pa, va;        /* G_DMA: pages and mapping (0 = none yet) */
};

static struct grant grants[DEV_NGRANT];
static const struct ksvr *sys;  /* the sys server (its port and name) */
static uint32_t nmade;

/* Ports the kernel keeps: motherboard, IDE, VGA, PCI config, its UARTs,
 * I/O BARs of PCI functions with a kernel driver. */
static bool
kernel_port(uint32_t p)
{
	const struct pci_dev *devs[PCI_MAX_DEVS];
	int n;

	if (p < 0x100 || (p >= 0x170 && p <= 0x177) ||
	    (p >= 0x1F0 && p <= 0x1F7) || p == 0x376 || p == 0x3F6 ||
	    (p >= 0x3B0 && p <= 0x3DF) || (p >= 0xCF8 && p <= 0xCFF) ||
	    uart_owns_port(p))
		return true;
	n = pci_list(devs, PCI_MAX_DEVS);
	for (int i = 0; i < n; i++) {
		if (!devs[i]->driver)
			continue;
		for (int b = 0; b < PCI_NBAR; b++) {
			const struct pci_bar *bar = &devs[i]->bar[b];

			if (bar->type == PCI_BAR_IO && p >= bar->base &&
			    p - bar->base < bar->size)
				return true;
		}
	}
	return false;
}

/* ---- revocation ---- */

static void grant_irq(int irq, void *arg);

/* Set (close) or clear (open) the bits of [base, base+count) in p's map. */
static void
iomap_range(struct proc *p, uint32_t base, uint32_t count, bool open)
{
	for (uint32_t q = base; q < base + count; q++) {
		if (open)
			p->iomap[q / 8] &= (uint8_t)~(1u << (q % 8));
		else
			p->iomap[q / 8] |= (uint8_t)(1u << (q % 8));
	}
	if (open) {
		uint16_t lo = (uint16_t)(base / 8);
		uint16_t hi = (uint16_t)((base + count - 1) / 8 + 1);

		if (p->io_hi <= p->io_lo) {
			p->io_lo = lo;
			p->io_hi = hi;
		} else {
			p->io_lo = MIN(p->io_lo, lo);
			p->io_hi = p->io_hi > hi ? p->io_hi : hi;
		}
	}
	arch_iomap_changed(p);
}

static void
revoke_pci(struct grant *g)
{
	uint16_t cmd = pci_cfg_read16(g->pci, PCI_COMMAND);

	pci_cfg_write16(g->pci, PCI_COMMAND,
			(uint16_t)((cmd & ~PCI_CMD_MASTER) | PCI_CMD_INTX_OFF));
	for (int b = 0; b < PCI_NBAR; b++) {
		if (g->bar_va[b] && g->holder && g->holder->pgdir)
			vm_unmap(g->holder->pgdir, g->bar_va[b] & ~0xFFFu,
				 ALIGN_UP(g->pci->bar[b].size +
					  (g->pci->bar[b].base & 0xFFFu),
					  PAGE_SIZE));
		g->bar_va[b] = 0;
	}
	if (g->holder && g->holder->iomap)
		for (int b = 0; b < PCI_NBAR; b++)
			if (g->pci->bar[b].type == PCI_BAR_IO)
				iomap_range(g->holder, g->pci->bar[b].base,
					    g->pci->bar[b].size, false);
}

/* revoke: undo everything the grant gave and free its slot. */
static void
revoke(struct grant *g)
{
	uint32_t f;

	switch (g->kind) {
	case G_PORTS:
		if (g->holder && g->holder->iomap)
			iomap_range(g->holder, g->base, g->count, false);
		break;
	case G_IRQ:
		if (g->bound)
			arch_irq_unregister(g->line, grant_irq);
		break;
	case G_PCI:
		revoke_pci(g);
		break;
	case G_DMA:
		if (g->va && g->holder && g->holder->pgdir)
			vm_unmap(g->holder->pgdir, g->va,
				 ALIGN_UP(g->size, PAGE_SIZE));
		if (g->pa)
			page_free(g->pa, ALIGN_UP(g->size, PAGE_SIZE) /
				  PAGE_SIZE);
		break;
	case G_FREE:
		return;
	}
	f = arch_irq_save();
	g->kind = G_FREE;
	g->holder = NULL;
	g->bound = false;
	g->pending = 0;
	g->pa = g->va = 0;
	g->gen++;
	arch_irq_restore(f);
	thread_wakeup(g);
}

/* The holder ended: its grants go, devices first, then DMA memory. */
static void
dev_proc_gone(struct proc *p)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < DEV_NGRANT; i++)
			if (grants[i].holder == p &&
			    (grants[i].kind == G_DMA) == (pass == 1))
				revoke(&grants[i]);
	if (p->iomap) {
		uint8_t *m = p->iomap;
		uint32_t f = arch_irq_save();

		p->iomap = NULL;
		arch_irq_restore(f);
		arch_iomap_changed(p);
		kfree(m);
	}
}

/* ---- making grants (the sys server) ---- */

/* A free slot; else the oldest unused grant is taken back. */
static struct grant *
grant_alloc(void)
{
	struct grant *old = NULL;

	for (int i = 0; i < DEV_NGRANT; i++) {
		if (grants[i].kind == G_FREE)
			return &grants[i];
		if (!grants[i].holder && (!old || grants[i].made < old->made))
			old = &grants[i];
	}
	if (old)
		revoke(old);
	return old;
}

/* Does g claim what a new grant of kind would (same port, line, device)? */
static bool
conflicts(const struct grant *g, enum grant_kind kind, uint32_t a,
	  uint32_t b, const struct pci_dev *d)
{
	if (g->kind != kind)
		return false;
	switch (kind) {
	case G_PORTS:
		return a < (uint32_t)g->base + g->count && g->base < a + b;
	case G_IRQ:
		return (uint32_t)g->line == a;
	case G_PCI:
		return g->pci == d;
	default:
		return false;
	}
}

/* In use by a holder: STD_NOTNOW; an unused claim is replaced. */
static errstat
claim(enum grant_kind kind, uint32_t a, uint32_t b, const struct pci_dev *d)
{
	for (int i = 0; i < DEV_NGRANT; i++) {
		if (!conflicts(&grants[i], kind, a, b, d))
			continue;
		if (grants[i].holder)
			return STD_NOTNOW;
		revoke(&grants[i]);
	}
	return STD_OK;
}

/* "bb:dd.f" or "vvvv:dddd" (hex) to a device; NULL if none matches. */
static struct pci_dev *
pci_by_spec(const char *s, uint32_t len)
{
	const struct pci_dev *devs[PCI_MAX_DEVS];
	unsigned v[3] = { 0, 0, 0 };
	int k = 0, nd, digits = 0;
	bool byid = false;

	for (uint32_t i = 0; i < len && s[i]; i++) {
		char c = s[i];

		if ((c == ':' && k == 0) || (c == '.' && k == 1 && !byid)) {
			if (c == ':')
				byid = digits == 4;
			k++;
			digits = 0;
			continue;
		}
		if (c >= '0' && c <= '9')
			v[k] = v[k] * 16 + (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v[k] = v[k] * 16 + (unsigned)((c | 0x20) - 'a' + 10);
		else
			return NULL;
		if (++digits > 4)
			return NULL;
	}
	if (byid ? k != 1 || digits != 4 : k != 2 || digits == 0)
		return NULL;
	nd = pci_list(devs, PCI_MAX_DEVS);
	for (int i = 0; i < nd; i++) {
		const struct pci_dev *d = devs[i];

		if (byid ? d->vendor == v[0] && d->device == v[1]
			 : d->bus == v[0] && d->slot == v[1] && d->func == v[2])
			return (struct pci_dev *)d;
	}
	return NULL;
}

/* Check what a new grant asks for; STD_OK and the fields filled in. */
static errstat
grant_check(struct ksvr_req *r, struct grant *t)
{
	header *h = r->h;
	uint32_t a = (uint32_t)h->h_offset, b = h->h_size;

	switch (h->h_command) {
	case SYS_DEV_PORTS:
		if (b == 0 || a > 0xFFFF || a + b > 0x10000)
			return STD_ARGBAD;
		for (uint32_t q = a; q < a + b; q++) {
			if (kernel_port(q)) {
				kprintf("dev: port 0x%x is used by the kernel: "
					"not granted\n", q);
				return STD_NOTNOW;
			}
		}
		t->kind = G_PORTS;
		t->base = (uint16_t)a;
		t->count = (uint16_t)b;
		return claim(G_PORTS, a, b, NULL);
	case SYS_DEV_IRQ:
		if (h->h_offset < 0 || h->h_offset > 15)
			return STD_ARGBAD;
		t->kind = G_IRQ;
		t->line = h->h_offset;
		if (claim(G_IRQ, a, 0, NULL) != STD_OK)
			return STD_NOTNOW;
		if (arch_irq_taken(t->line)) {
			kprintf("dev: irq %d is used by the kernel: not "
				"granted\n", t->line);
			return STD_NOTNOW;
		}
		return STD_OK;
	case SYS_DEV_PCI:
		t->kind = G_PCI;
		t->pci = pci_by_spec((const char *)r->req, r->reqlen);
		if (t->pci == NULL)
			return STD_NOTFOUND;
		if (t->pci->class == 0x06) {
			kprintf("dev: pci %s is a bridge: not granted\n",
				t->pci->name);
			return STD_NOTNOW;
		}
		if (t->pci->driver) {
			kprintf("dev: pci %s is driven by the kernel (%s): "
				"not granted\n", t->pci->name,
				t->pci->driver->name);
			return STD_NOTNOW;
		}
		return claim(G_PCI, 0, 0, t->pci);
	case SYS_DEV_DMA:
		if (h->h_offset <= 0 || a > DEV_DMA_MAX)
			return STD_ARGBAD;
		t->kind = G_DMA;
		t->size = a;
		return STD_OK;
	default:
		return STD_COMBAD;
	}
}

uint32_t
devsvr_request(struct ksvr_req *r, rights_bits rights)
{
	header *h = r->h;
	struct grant t, *g;
	errstat err;

	if (!(rights & SYS_RGT_ADMIN)) {
		h->h_status = (command)STD_DENIED;
		return 0;
	}
	memset(&t, 0, sizeof(t));
	err = grant_check(r, &t);
	if (err == STD_OK && (g = grant_alloc()) == NULL)
		err = STD_NOSPACE;
	if (err != STD_OK) {
		h->h_status = (command)err;
		return 0;
	}
	t.gen = g->gen;
	t.made = ++nmade;
	krandom(&t.check, sizeof(t.check));
	*g = t;
	h->h_port = sys->putport;
	prv_encode(&h->h_priv, (objnum)(g - grants + 1), 0xFF, &g->check);
	h->h_status = STD_OK;
	return 0;
}

/*
 * SYS_DEV_HELD: how many grants the process whose capability is the body
 * holds (any right on it will do: a migrator must learn that grants
 * cannot move with the process).  STD_CAPBAD for a bad or dead one.
 */
uint32_t
devsvr_held(struct ksvr_req *r)
{
	header *h = r->h;
	capability cap;
	rights_bits rights;
	struct proc *p;
	bufsize n = 0;

	if (r->reqlen != sizeof(cap)) {
		h->h_status = (command)STD_ARGBAD;
		return 0;
	}
	memcpy(&cap, r->req, sizeof(cap));
	if ((p = pscap_decode(&cap.cap_priv, &rights)) == NULL) {
		h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	for (int i = 0; i < DEV_NGRANT; i++)
		if (grants[i].kind != G_FREE && grants[i].holder == p)
			n++;
	h->h_size = n;
	h->h_status = STD_OK;
	return 0;
}

/* The grant named by priv, or NULL. */
static struct grant *
grant_of(const private *priv)
{
	objnum obj = prv_number(priv);
	rights_bits rights;
	struct grant *g;

	if (obj < 1 || obj > DEV_NGRANT)
		return NULL;
	g = &grants[obj - 1];
	if (g->kind == G_FREE || prv_decode(priv, &rights, &g->check) < 0)
		return NULL;
	return g;
}

static uint32_t
grant_text(const struct grant *g, char *buf, uint32_t max)
{
	int n;

	switch (g->kind) {
	case G_PORTS:
		n = ksnprintf(buf, max, "ports 0x%x-0x%x", g->base,
			      g->base + g->count - 1);
		break;
	case G_IRQ:
		n = ksnprintf(buf, max, "irq %d (%u fired, %s)", g->line,
			      g->fired, g->bound && !arch_irq_masked(g->line)
			      ? "unmasked" : "masked");
		break;
	case G_PCI:
		n = ksnprintf(buf, max, "pci %s %04x:%04x", g->pci->name,
			      g->pci->vendor, g->pci->device);
		break;
	default:
		n = ksnprintf(buf, max, "dma %u bytes at 0x%x", g->size,
			      g->pa);
		break;
	}
	if (n < 0)
		return 0;
	return MIN((uint32_t)n, max ? max - 1 : 0);
}

/* Requests on a grant's own capability: std_info, std_destroy. */
uint32_t
devsvr_object(struct ksvr_req *r)
{
	header *h = r->h;
	struct grant *g = grant_of(&h->h_priv);
	uint32_t n = 0;

	if (g == NULL) {
		h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	switch (h->h_command) {
	case STD_INFO:
		n = grant_text(g, (char *)r->rep, r->repmax);
		h->h_status = STD_OK;
		break;
	case STD_DESTROY:
		revoke(g);
		h->h_status = STD_OK;
		break;
	default:
		h->h_status = (command)STD_COMBAD;
		break;
	}
	return n;
}

/* Is line l held by a grant's handler? */
static bool
line_granted(int l)
{
	for (int i = 0; i < DEV_NGRANT; i++)
		if (grants[i].kind == G_IRQ && grants[i].bound &&
		    grants[i].line == l)
			return true;
	return false;
}

/* std_status of the sys server: the grants, and the state of every line
 * and PCI function a user-space driver may have had. */
uint32_t
devsvr_status(char *buf, uint32_t max)
{
	const struct pci_dev *devs[PCI_MAX_DEVS];
	uint32_t n = 0;
	int k, nd;

#define PUT(...) do { \
	k = ksnprintf(buf + n, max - n, __VA_ARGS__); \
	if (k > 0) n += MIN((uint32_t)k, max - n - 1); \
} while (0)
	if (max == 0)
		return 0;
	for (int i = 0; i < DEV_NGRANT && n + 80 < max; i++) {
		const struct grant *g = &grants[i];

		if (g->kind == G_FREE)
			continue;
		PUT("grant %d ", i + 1);
		n += grant_text(g, buf + n, max - n);
		PUT(" held by %d\n", g->holder ? g->holder->pid : -1);
	}
	for (int l = 0; l < 16 && n + 40 < max; l++)
		if (l != 2 && (!arch_irq_taken(l) || line_granted(l)))
			PUT("userirq %d %s\n", l,
			    arch_irq_masked(l) ? "masked" : "unmasked");
	nd = pci_list(devs, PCI_MAX_DEVS);
	for (int i = 0; i < nd && n + 60 < max; i++)
		if (!devs[i]->driver)
			PUT("userpci %s %04x:%04x busmaster %s\n",
			    devs[i]->name, devs[i]->vendor, devs[i]->device,
			    (pci_cfg_read16(devs[i], PCI_COMMAND) &
			     PCI_CMD_MASTER) ? "on" : "off");
#undef PUT
	return n;
}

/* ---- using grants (system calls) ---- */

/* The line fired: mask it until the holder acknowledges (irq context). */
static void
grant_irq(int irq, void *arg)
{
	struct grant *g = arg;

	arch_irq_mask(irq);
	g->pending++;
	g->fired++;
	thread_wakeup(g);
}

/* First use by p: p holds the grant from now on. */
static errstat
grant_bind(struct grant *g, struct proc *p)
{
	uint16_t cmd;

	switch (g->kind) {
	case G_IRQ:
		if (arch_irq_register(g->line, grant_irq, g) != STD_OK)
			return STD_NOTNOW;
		g->bound = true;
		arch_irq_unmask(g->line);
		break;
	case G_PCI:
		cmd = pci_cfg_read16(g->pci, PCI_COMMAND);
		pci_cfg_write16(g->pci, PCI_COMMAND,
				(uint16_t)(cmd & ~PCI_CMD_INTX_OFF));
		break;
	case G_DMA:
		g->pa = page_alloc(ALIGN_UP(g->size, PAGE_SIZE) / PAGE_SIZE);
		if (g->pa == 0)
			return STD_NOMEM;
		break;
	default:
		break;
	}
	g->holder = p;
	return STD_OK;
}

/* The grant at user address capp, held by (or now bound to) the caller. */
static errstat
grant_use(uint32_t capp, enum grant_kind kind, struct grant **gp)
{
	struct proc *p = proc_current();
	capability cap;
	struct grant *g;
	errstat err;

	if (copyin(&cap, capp, sizeof(cap)) != STD_OK)
		return STD_ARGBAD;
	if (sys == NULL || memcmp(&cap.cap_port, &sys->putport,
				  sizeof(port)) != 0 ||
	    (g = grant_of(&cap.cap_priv)) == NULL)
		return STD_CAPBAD;
	if (kind != G_FREE && g->kind != kind &&
	    !(kind == G_PORTS && g->kind == G_PCI))
		return STD_ARGBAD; /* a grant of another kind */
	if (g->holder == NULL && (err = grant_bind(g, p)) != STD_OK)
		return err;
	if (g->holder != p)
		return STD_DENIED;
	*gp = g;
	return STD_OK;
}

/* A free range of len bytes in p's device window (past its segments);
 * 0 if none.  Segments cannot be mapped over it later (proc_map). */
static uint32_t
dev_va_alloc(struct proc *p, uint32_t len)
{
	uint32_t va = p->dev_va ? p->dev_va : DEV_VA_BASE;

	while (va <= DEV_VA_END - len && proc_va_used(p, va, len))
		va += 1u << 20;
	if (len > DEV_VA_END - DEV_VA_BASE || va > DEV_VA_END - len)
		return 0;
	if (p->dev_va == 0)
		p->dev_base = va;
	p->dev_va = va + len + PAGE_SIZE; /* a guard page between mappings */
	return va;
}

static errstat
ports_enable(struct grant *g)
{
	struct proc *p = g->holder;

	if (p->iomap == NULL) {
		uint8_t *m = kmalloc(8192);

		if (m == NULL)
			return STD_NOMEM;
		memset(m, 0xFF, 8192);
		p->iomap = m;
	}
	if (g->kind == G_PORTS) {
		iomap_range(p, g->base, g->count, true);
		return STD_OK;
	}
	for (int b = 0; b < PCI_NBAR; b++)
		if (g->pci->bar[b].type == PCI_BAR_IO && g->pci->bar[b].size)
			iomap_range(p, g->pci->bar[b].base,
				    MIN(g->pci->bar[b].size,
					0x10000 - g->pci->bar[b].base), true);
	return STD_OK;
}

static errstat
irq_wait(struct grant *g, int32_t ms)
{
	uint32_t deadline = arch_milli() + (uint32_t)ms, gen = g->gen;
	errstat err = STD_OK;
	uint32_t f;

	if (ms < 0)
		return STD_ARGBAD;
	f = arch_irq_save();
	while (g->pending == 0) {
		uint32_t left = deadline - arch_milli();
		int r;

		if (ms && (int32_t)left <= 0) {
			err = STD_NOTNOW;
			break;
		}
		r = thread_sleep(g, ms ? left : 0);
		if (g->gen != gen) {
			err = STD_CAPBAD; /* revoked meanwhile */
			break;
		}
		if (r == THREAD_INTERRUPTED) {
			err = STD_INTR;
			break;
		}
	}
	if (err == STD_OK)
		g->pending--;
	arch_irq_restore(f);
	return err;
}

static errstat
pci_info(struct grant *g, uint32_t out)
{
	struct dev_pci_info info;

	memset(&info, 0, sizeof(info));
	info.vendor = g->pci->vendor;
	info.device = g->pci->device;
	info.irq = g->pci->irq_line;
	for (int b = 0; b < PCI_NBAR; b++) {
		const struct pci_bar *bar = &g->pci->bar[b];

		info.bar[b].base = bar->base;
		info.bar[b].size = bar->size;
		info.bar[b].io = bar->type == PCI_BAR_IO;
		if (bar->type != PCI_BAR_NONE && bar->size)
			info.nbar = (uint8_t)(b + 1);
	}
	return copyout(out, &info, sizeof(info));
}

static errstat
pci_map(struct grant *g, uint32_t b, uint32_t out)
{
	const struct pci_bar *bar;
	uint32_t off, len, va;
	uint16_t cmd;

	if (b >= PCI_NBAR)
		return STD_ARGBAD;
	bar = &g->pci->bar[b];
	if (bar->type != PCI_BAR_MEM || bar->size == 0)
		return STD_ARGBAD; /* no BAR, or I/O: dev_ports_enable */
	if (!user_ok(out, sizeof(uint32_t), true))
		return STD_ARGBAD;
	off = bar->base & 0xFFFu;
	if (g->bar_va[b] == 0) {
		len = ALIGN_UP(bar->size + off, PAGE_SIZE);
		va = dev_va_alloc(g->holder, len);
		if (va == 0 || vm_map_dev(g->holder->pgdir, va,
					  bar->base - off, len) < 0)
			return STD_NOSPACE;
		g->bar_va[b] = va + off;
		cmd = pci_cfg_read16(g->pci, PCI_COMMAND);
		pci_cfg_write16(g->pci, PCI_COMMAND,
				(uint16_t)(cmd | PCI_CMD_MEM));
	}
	return copyout(out, &g->bar_va[b], sizeof(uint32_t));
}

static errstat
busmaster(struct grant *g, uint32_t on)
{
	uint16_t cmd = pci_cfg_read16(g->pci, PCI_COMMAND);

	if (on)
		cmd |= PCI_CMD_MASTER | PCI_CMD_MEM;
	else
		cmd &= (uint16_t)~PCI_CMD_MASTER;
	pci_cfg_write16(g->pci, PCI_COMMAND, cmd);
	return STD_OK;
}

static errstat
dma_map(struct grant *g, uint32_t vaout, uint32_t paout)
{
	uint32_t len = ALIGN_UP(g->size, PAGE_SIZE);

	if (!user_ok(vaout, sizeof(uint32_t), true) ||
	    !user_ok(paout, sizeof(uint32_t), true))
		return STD_ARGBAD;
	if (g->va == 0) {
		uint32_t va = dev_va_alloc(g->holder, len);

		if (va == 0 || vm_map(g->holder->pgdir, va, g->pa, len,
				      true) < 0)
			return STD_NOSPACE;
		g->va = va;
	}
	if (copyout(vaout, &g->va, sizeof(uint32_t)) != STD_OK)
		return STD_ARGBAD;
	return copyout(paout, &g->pa, sizeof(uint32_t));
}

static int32_t
sys_dev(uint32_t code, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
	static const enum grant_kind kinds[] = {
		[SYS_DEV_PORTS_ENABLE - SYS_DEV_FIRST] = G_PORTS,
		[SYS_DEV_IRQ_WAIT - SYS_DEV_FIRST] = G_IRQ,
		[SYS_DEV_IRQ_ACK - SYS_DEV_FIRST] = G_IRQ,
		[SYS_DEV_PCI_INFO - SYS_DEV_FIRST] = G_PCI,
		[SYS_DEV_PCI_MAP - SYS_DEV_FIRST] = G_PCI,
		[SYS_DEV_PCI_BUSMASTER - SYS_DEV_FIRST] = G_PCI,
		[SYS_DEV_DMA_MAP - SYS_DEV_FIRST] = G_DMA,
	};
	struct grant *g;
	errstat err;

	(void)a4;
	if (code < SYS_DEV_FIRST || code > SYS_DEV_DMA_MAP)
		return STD_COMBAD;
	err = grant_use(a1, kinds[code - SYS_DEV_FIRST], &g);
	if (err != STD_OK)
		return err;
	switch (code) {
	case SYS_DEV_PORTS_ENABLE:
		return ports_enable(g);
	case SYS_DEV_IRQ_WAIT:
		return irq_wait(g, (int32_t)a2);
	case SYS_DEV_IRQ_ACK:
		arch_irq_unmask(g->line);
		return STD_OK;
	case SYS_DEV_PCI_INFO:
		return pci_info(g, a2);
	case SYS_DEV_PCI_MAP:
		return pci_map(g, a2, a3);
	case SYS_DEV_PCI_BUSMASTER:
		return busmaster(g, a2);
	default:
		return dma_map(g, a2, a3);
	}
}

void
devsvr_init(const struct ksvr *s)
{
	sys = s;
	proc_on_gone(dev_proc_gone);
	syscall_register(SYS_DEV_FIRST, SYS_DEV_LAST, sys_dev);
}
