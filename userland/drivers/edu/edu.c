/*
 * edu.c - a user-space driver for QEMU's edu PCI device (1234:11e8),
 * built on the driver library (module/driver.h): it uses only its
 * grants: the memory BAR (identification, liveness, factorial, interrupt
 * and DMA registers), the function's interrupt line and 8 KiB of DMA
 * memory.
 *
 *   edu [NAME]     serve requests (edu.h) forever; with NAME, publish the
 *                  service capability under that path first
 *   edu test       check the device through the driver's own RPC service
 *                  (ok/not ok lines, exit status 0 = all passed)
 *   edu client PATH  use the service published under PATH as a client
 *                  without grants (ok/not ok lines, exit status 0 = all
 *                  passed)
 *   edu bench [N]  interrupt-to-user-thread latency over N raises (from
 *                  the write of the raise register to the interrupt
 *                  thread's wake-up): "bench: edu_irq_min|median|max N us"
 *
 * Requests run in one server thread; the interrupt thread records the
 * device's interrupt status, acknowledges it at the device and wakes the
 * request that waits for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stdcom.h>
#include <stderr.h>
#include <module/driver.h>
#include <module/name.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>

#include "edu.h"

#define R_IDENT 0x00
#define R_LIVE 0x04
#define R_FACT 0x08
#define R_STATUS 0x20
#define R_ISR 0x24
#define R_RAISE 0x60
#define R_ACK 0x64
#define R_DMA_SRC 0x80
#define R_DMA_DST 0x88
#define R_DMA_CNT 0x90
#define R_DMA_CMD 0x98
#define ST_FACT_IRQ 0x80
#define DMA_START 0x01
#define DMA_TO_RAM 0x02
#define DMA_IRQ 0x04
#define EDU_BUF 0x40000u        /* the device's own 4 KiB */
#define EDU_DMA_MAX 2048u       /* QEMU aborts on a transfer that ends at
				   the last byte of EDU_BUF: stay below */
#define IRQ_FACT 0x001u
#define IRQ_DMA 0x100u
#define IRQ_TEST 0x1000u
#define WAIT_MS 5000
#define CLIENT_WAIT_MS 60000    /* edu client: for the name to appear */

static const struct drv_conf conf = {
	.name = "edu", .irq = DRV_PCI_IRQ, .pci = "1234:11e8",
	.dma = 8192,
};

static struct drv drv;
static semaphore irq_sema;          /* up once per device interrupt */
static volatile uint32_t irq_bits;  /* its status bits */
static volatile unsigned long long irq_at; /* when the thread saw it (us) */

static void
edu_interrupt(struct drv *d)
{
	unsigned long long now;
	uint32_t st = drv_rd32(d, 0, R_ISR);

	sys_micro(&now);
	irq_at = now;
	drv_wr32(d, 0, R_ACK, st); /* the device lowers its line */
	irq_bits = st;
	sema_up(&irq_sema);
}

/* Wait for the interrupt with bit; 0 on timeout. */
static int
wait_irq(uint32_t bit)
{
	while (sema_trydown(&irq_sema, WAIT_MS) == 0)
		if (irq_bits & bit)
			return 1;
	return 0;
}

static uint32_t
fact(struct drv *d, uint32_t n, errstat *err)
{
	drv_wr32(d, 0, R_STATUS, ST_FACT_IRQ);
	drv_wr32(d, 0, R_FACT, n);
	*err = wait_irq(IRQ_FACT) ? STD_OK : STD_SYSERR;
	return drv_rd32(d, 0, R_FACT);
}

/* One DMA transfer of len bytes; 1 when its interrupt came. */
static int
dma(struct drv *d, uint32_t src, uint32_t dst, uint32_t len, uint32_t dir)
{
	drv_wr32(d, 0, R_DMA_SRC, src);
	drv_wr32(d, 0, R_DMA_SRC + 4, 0);
	drv_wr32(d, 0, R_DMA_DST, dst);
	drv_wr32(d, 0, R_DMA_DST + 4, 0);
	drv_wr32(d, 0, R_DMA_CNT, len);
	drv_wr32(d, 0, R_DMA_CNT + 4, 0);
	drv_wr32(d, 0, R_DMA_CMD, DMA_START | DMA_IRQ | dir);
	return wait_irq(IRQ_DMA) && !(drv_rd32(d, 0, R_DMA_CMD) & DMA_START);
}

/* RAM -> device -> RAM (the second half of the DMA memory), compared. */
static errstat
dma_round_trip(struct drv *d, uint32_t len, uint32_t seed)
{
	volatile uint8_t *out = d->dma_va, *back = out + 4096;

	if (len == 0 || len > EDU_DMA_MAX)
		return STD_ARGBAD;
	for (uint32_t i = 0; i < len; i++) {
		out[i] = (uint8_t)(seed + i * 7);
		back[i] = 0;
	}
	if (dev_pci_busmaster(&d->pci, 1) != STD_OK ||
	    !dma(d, d->dma_phys, EDU_BUF, len, 0) ||
	    !dma(d, EDU_BUF, d->dma_phys + 4096, len, DMA_TO_RAM))
		return STD_SYSERR;
	for (uint32_t i = 0; i < len; i++)
		if (back[i] != (uint8_t)(seed + i * 7))
			return STD_SYSERR;
	return STD_OK;
}

static int32
edu_request(struct drv *d, header *h, char *req, int32 reqlen, char *rep,
	    int32 repmax)
{
	unsigned long long t0;
	errstat err = STD_OK;

	(void)req;
	(void)reqlen;
	(void)rep;
	(void)repmax;
	switch (h->h_command) {
	case EDU_FACT:
		if (h->h_offset < 0 || h->h_offset > 20) {
			err = STD_ARGBAD;
			break;
		}
		h->h_offset = (int32)fact(d, (uint32_t)h->h_offset, &err);
		break;
	case EDU_DMA:
		err = dma_round_trip(d, h->h_size, (uint32_t)h->h_offset);
		break;
	case EDU_RAISE:
		sys_micro(&t0);
		drv_wr32(d, 0, R_RAISE, IRQ_TEST);
		err = wait_irq(IRQ_TEST) ? STD_OK : STD_SYSERR;
		h->h_offset = (int32)(irq_at - t0);
		break;
	default:
		err = STD_COMBAD;
		break;
	}
	h->h_status = (command)err;
	return 0;
}

static int
edu_status(struct drv *d, char *buf, int max)
{
	int n = snprintf(buf, (size_t)max, "pci 1234:11e8 irq %d ident "
			 "0x%08x\n", d->line,
			 (unsigned)drv_rd32(d, 0, R_IDENT));

	return n < 0 ? 0 : (n >= max ? max - 1 : n);
}

static const struct drv_ops ops = {
	.request = edu_request, .interrupt = edu_interrupt,
	.status = edu_status,
};

/* A request to our own service; the RPC error or the reply status. */
static errstat
call(capability *cap, command cmd, int32 *off, bufsize size)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = cmd;
	h.h_offset = *off;
	h.h_size = size;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	if (r < 0)
		return (errstat)r;
	*off = h.h_offset;
	return ERR_CONVERT(h.h_status);
}

static int npass, nfail;

static void
check(int ok, const char *what)
{
	if (ok)
		npass++;
	else
		nfail++;
	printf("%sok %d - %s\n", ok ? "" : "not ", npass + nfail, what);
}

/* The checks any client of the service can make, on capability cap. */
static void
rpc_checks(capability *cap)
{
	capability forged = *cap;
	char buf[256];
	uint32_t want = 1;
	int32 v;
	int n = 0;

	check(std_info(cap, buf, sizeof(buf), &n) == STD_OK &&
	      n == 3 && memcmp(buf, "edu", 3) == 0, "std_info: edu");
	check(std_status(cap, buf, sizeof(buf) - 1, &n) == STD_OK &&
	      (buf[n] = 0, strstr(buf, "ident 0x010000ed") != NULL),
	      "std_status names the device");
	for (int i = 1; i <= 10; i++)
		want *= (uint32_t)i;
	v = 10;
	check(call(cap, EDU_FACT, &v, 0) == STD_OK && v == (int32)want,
	      "factorial of 10 by the device, through its interrupt");
	v = 12;
	check(call(cap, EDU_FACT, &v, 0) == STD_OK && v == 479001600,
	      "factorial of 12");
	v = 21;
	check(call(cap, EDU_FACT, &v, 0) == STD_ARGBAD,
	      "factorial of 21: STD_ARGBAD");
	v = 0;
	check(call(cap, EDU_RAISE, &v, 0) == STD_OK && v >= 0,
	      "raised interrupt reaches the interrupt thread");
	v = 0x5A;
	check(call(cap, EDU_DMA, &v, EDU_DMA_MAX) == STD_OK,
	      "DMA round trip of 2048 bytes: RAM, device, RAM, equal");
	v = 3;
	check(call(cap, EDU_DMA, &v, 100) == STD_OK,
	      "DMA round trip of 100 bytes");
	check(call(cap, EDU_DMA, &v, 4096) == STD_ARGBAD,
	      "DMA of 4096 bytes: STD_ARGBAD");
	check(call(cap, EDU_FIRST_COM + 50, &v, 0) == STD_COMBAD,
	      "unknown request: STD_COMBAD");
	forged.cap_priv.prv_random._portbytes[0] ^= 1;
	check(call(&forged, EDU_FACT, &v, 0) == STD_CAPBAD,
	      "forged capability: STD_CAPBAD");
}

static int
run_test(void)
{
	check((drv_rd32(&drv, 0, R_IDENT) & 0xFFFF) == 0x00ED,
	      "identification register reads 0x..00ed (MMIO BAR 0)");
	drv_wr32(&drv, 0, R_LIVE, 0x12345678);
	check(drv_rd32(&drv, 0, R_LIVE) == ~0x12345678u,
	      "liveness register inverts what we wrote");
	rpc_checks(&drv.cap);
	check(drv.interrupts >= 5, "the interrupts were counted");
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

/*
 * edu client PATH: a process without grants finds the driver's service
 * under PATH (waiting up to CLIENT_WAIT_MS for it to be published) and
 * uses it; while the driver holds the device, its PCI grant is refused
 * to anyone else.
 */
static int
run_client(const char *path)
{
	unsigned long t0 = sys_milli();
	capability cap, sys, g;
	errstat err;

	while ((err = name_lookup((char *)path, &cap)) != STD_OK &&
	       sys_milli() - t0 < CLIENT_WAIT_MS)
		sys_sleep(100);
	check(err == STD_OK, "the service is published under its path");
	if (err != STD_OK) {
		printf("# %s: %s\n", path, err_why(err));
	} else {
		rpc_checks(&cap);
		check(dev_sys_cap(&sys) == STD_OK &&
		      dev_pci(&sys, conf.pci, &g) == STD_NOTNOW,
		      "the device held by the driver: its grant is refused "
		      "to another process (STD_NOTNOW)");
	}
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
run_bench(int n)
{
	uint32_t *lat = calloc((size_t)n, sizeof(*lat));
	int got = 0;

	if (lat == NULL)
		return 1;
	for (int i = 0; i < n; i++) {
		int32 v = 0;

		if (call(&drv.cap, EDU_RAISE, &v, 0) != STD_OK) {
			printf("edu: raise %d got no interrupt\n", i);
			return 1;
		}
		lat[got++] = (uint32_t)v;
	}
	qsort(lat, (size_t)got, sizeof(*lat), cmp_u32);
	printf("bench: edu_irq_min %u us\nbench: edu_irq_median %u us\n"
	       "bench: edu_irq_max %u us\n", (unsigned)lat[0],
	       (unsigned)lat[got / 2], (unsigned)lat[got - 1]);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : NULL;

	if (mode && strcmp(mode, "client") == 0) {
		if (argc != 3) {
			fprintf(stderr, "usage: edu client PATH\n");
			return 2;
		}
		return run_client(argv[2]);
	}
	sema_init(&irq_sema, 0);
	if (drv_open(&drv, &conf) != STD_OK)
		return 1;
	if (mode && (strcmp(mode, "test") == 0 || strcmp(mode, "bench") == 0)) {
		if (drv_start(&drv, &ops, 1) != STD_OK)
			return 1;
		if (strcmp(mode, "test") == 0)
			return run_test();
		return run_bench(argc > 2 ? atoi(argv[2]) : 200);
	}
	if (mode && name_append((char *)mode, &drv.cap) != STD_OK)
		fprintf(stderr, "edu: cannot publish under %s\n", mode);
	printf("edu: serving, irq %d\n", drv.line);
	fflush(stdout);
	drv_serve(&drv, &ops);
}
