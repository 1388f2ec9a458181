/*
 * test_devgrant.c - device grants (module/dev.h): run with `uartuser=2`
 * and a second serial port (COM2, ports 0x2f8-0x2ff, IRQ 3), which the
 * kernel then leaves alone.
 *
 *   - the sys capability without SYS_RGT_ADMIN gets STD_DENIED; bad
 *     ports, lines, devices and sizes get clear errors; ports, lines and
 *     devices the kernel uses are refused (STD_NOTNOW);
 *   - a ports grant opens exactly COM2 to this process (its scratch
 *     register reads back); a forged grant gives STD_CAPBAD;
 *   - a child given the same grant is refused (STD_DENIED), and when it
 *     touches the port anyway it alone dies (#GP);
 *   - the IRQ grant: COM2's transmitter interrupt wakes dev_irq_wait, the
 *     line stays masked (a second wait times out with STD_NOTNOW) until
 *     dev_irq_ack;
 *   - a child holding the ports and the line is killed: the sys server's
 *     std_status shows the line masked and the grants gone, and the ports
 *     can be granted again;
 *   - a DMA grant maps physically contiguous memory with its address;
 *   - with `-device edu`: a PCI grant's information, bad BARs; a child
 *     holding the device turns bus mastering on and reads its MMIO
 *     identification; after it is killed, std_status shows bus mastering
 *     off.
 *
 * ok/not ok lines, exit status 0 = all passed.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <thread.h>
#include <module/dev.h>
#include <module/kdir.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/systask/systask.h>

#include "check.h"
#include "child.h"

#define COM2 0x2F8
#define COM2_IRQ 3
#define GRANT1 (CHILD_DATA + 128)	/* the child's first grant */
#define GRANT2 (CHILD_DATA + 160)	/* and its second */

static capability sys;

/* Child: try the parent's ports grant, report the result, touch COM2. */
static void __attribute__((noreturn, noinline, used))
child_refused_main(void)
{
	header *h = (header *)CHILD_DATA;

	h->h_offset = dev_ports_enable((capability *)GRANT1);
	rpc_trans(h, NULL, 0, (header *)(CHILD_DATA + 64), NULL, 0);
	(void)dev_inb(COM2 + 7);
	for (;;)
		sys_sleep(100000);
}

/* Child: take the ports and the line, report, then wait to be killed. */
static void __attribute__((noreturn, noinline, used))
child_holder_main(void)
{
	header *h = (header *)CHILD_DATA;
	errstat err;

	err = dev_ports_enable((capability *)GRANT1);
	if (err == STD_OK)
		dev_outb(COM2 + 7, 0x3C);
	if (err == STD_OK)
		err = dev_irq_wait((capability *)GRANT2, 1);
	h->h_offset = err;
	rpc_trans(h, NULL, 0, (header *)(CHILD_DATA + 64), NULL, 0);
	for (;;)
		sys_sleep(100000);
}

/* Child: bus master on, BAR 0 mapped; report the identification. */
static void __attribute__((noreturn, noinline, used))
child_pci_main(void)
{
	header *h = (header *)CHILD_DATA;
	void *va = NULL;
	errstat err;

	err = dev_pci_busmaster((capability *)GRANT1, 1);
	if (err == STD_OK)
		err = dev_pci_map((capability *)GRANT1, 0, &va);
	h->h_offset = err == STD_OK ? (int32) * (volatile uint32_t *)va : err;
	rpc_trans(h, NULL, 0, (header *)(CHILD_DATA + 64), NULL, 0);
	for (;;)
		sys_sleep(100000);
}

static port child_get;
static semaphore child_said;
static int32 child_word;

/* One request from a child: its h_offset is its report. */
static void
child_server(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	memset(&h, 0, sizeof(h));
	h.h_port = child_get;
	child_word = -9999;
	if (rpc_getreq(&h, NULL, 0) >= 0) {
		child_word = h.h_offset;
		h.h_status = STD_OK;
		rpc_putrep(&h, NULL, 0);
	}
	sema_up(&child_said);
}

/* Start a child running entry with up to two grants; 1 if it reported. */
static int
run_child(void (*entry)(void), const capability *g1, const capability *g2,
	  capability *pcap)
{
	char data[CHILD_DATALEN];
	header *h = (header *)data;

	memset(data, 0, sizeof(data));
	uniqport(&child_get);
	priv2pub(&child_get, &h->h_port);
	if (g1)
		memcpy(data + (GRANT1 - CHILD_DATA), g1, sizeof(*g1));
	if (g2)
		memcpy(data + (GRANT2 - CHILD_DATA), g2, sizeof(*g2));
	sema_init(&child_said, 0);
	if (!thread_newthread(child_server, 16384, NULL, 0))
		return 0;
	if (child_exec(entry, data, NULL, 0, 0, NULL, pcap) != STD_OK)
		return 0;
	return sema_trydown(&child_said, 20000) == 0;
}

/* The sys server's std_status text into buf. */
static int
sys_status(char *buf, int len)
{
	int n = 0;

	if (std_status(&sys, buf, len - 1, &n) != STD_OK)
		return 0;
	buf[n] = 0;
	return 1;
}

static void
test_refusals(void)
{
	capability ro, g;
	errstat err;

	err = std_restrict(&sys, SYS_RGT_READ, &ro);
	CHECK(err == STD_OK, "sys capability restricted to SYS_RGT_READ");
	CHECK(dev_ports(&ro, COM2, 8, &g) == STD_DENIED,
	      "no admin right: ports grant STD_DENIED");
	CHECK(dev_irq(&ro, COM2_IRQ, &g) == STD_DENIED,
	      "no admin right: irq grant STD_DENIED");
	CHECK(dev_ports(&sys, COM2, 0, &g) == STD_ARGBAD,
	      "zero ports: STD_ARGBAD");
	CHECK(dev_ports(&sys, 0xFFFF, 2, &g) == STD_ARGBAD,
	      "ports past 0xffff: STD_ARGBAD");
	CHECK(dev_ports(&sys, 0x3F8, 8, &g) == STD_NOTNOW,
	      "COM1 (the console) is the kernel's: STD_NOTNOW");
	CHECK(dev_ports(&sys, 0x60, 1, &g) == STD_NOTNOW,
	      "the keyboard controller is the kernel's: STD_NOTNOW");
	CHECK(dev_irq(&sys, 16, &g) == STD_ARGBAD, "irq 16: STD_ARGBAD");
	CHECK(dev_irq(&sys, -1, &g) == STD_ARGBAD, "irq -1: STD_ARGBAD");
	CHECK(dev_irq(&sys, 0, &g) == STD_NOTNOW,
	      "irq 0 (the clock) is the kernel's: STD_NOTNOW");
	CHECK(dev_irq(&sys, 4, &g) == STD_NOTNOW,
	      "irq 4 (COM1) is the kernel's: STD_NOTNOW");
	CHECK(dev_pci(&sys, "zz", &g) == STD_NOTFOUND,
	      "pci spec 'zz': STD_NOTFOUND");
	CHECK(dev_pci(&sys, "00:1e.0", &g) == STD_NOTFOUND,
	      "pci 00:1e.0 (no such function): STD_NOTFOUND");
	CHECK(dev_pci(&sys, "00:00.0", &g) == STD_NOTNOW,
	      "pci 00:00.0 (the host bridge): STD_NOTNOW");
	CHECK(dev_dma(&sys, 0, &g) == STD_ARGBAD, "dma of 0 bytes: STD_ARGBAD");
	CHECK(dev_dma(&sys, 64u << 20, &g) == STD_ARGBAD,
	      "dma of 64 MiB: STD_ARGBAD");
	CHECK(dev_ports_enable((capability *)16) == STD_ARGBAD,
	      "dev_ports_enable(bad pointer): STD_ARGBAD");
	CHECK(dev_irq_ack(&sys) == STD_CAPBAD,
	      "the sys capability is no grant: STD_CAPBAD");
}

static void
test_ports(capability *g)
{
	capability forged;
	uint8_t v;

	CHECK(dev_ports(&sys, COM2, 8, g) == STD_OK, "COM2 ports granted");
	forged = *g;
	forged.cap_priv.prv_random._portbytes[0] ^= 1;
	CHECK(dev_ports_enable(&forged) == STD_CAPBAD,
	      "a forged grant: STD_CAPBAD");
	CHECK(dev_irq_wait(g, 1) == STD_ARGBAD,
	      "dev_irq_wait on a ports grant: STD_ARGBAD");
	CHECK(dev_ports_enable(g) == STD_OK, "dev_ports_enable: STD_OK");
	dev_outb(COM2 + 7, 0xA5);
	v = dev_inb(COM2 + 7);
	CHECK(v == 0xA5, "COM2 scratch register reads back what we wrote");
	dev_outb(COM2 + 7, 0x5A);
	CHECK(dev_inb(COM2 + 7) == 0x5A, "and a second value");
}

static void
test_child_refused(capability *g)
{
	capability pcap;
	int said = run_child(child_refused_main, g, NULL, &pcap);

	CHECK(said, "a child started and reported");
	CHECK(said && child_word == STD_DENIED,
	      "the child using our grant gets STD_DENIED");
	CHECK(said && child_gone(&pcap, 10000),
	      "the child touching COM2 without a grant dies (#GP)");
	CHECK(dev_inb(COM2 + 7) == 0x5A, "we go on using our ports");
}

static void
test_irq(capability *irq)
{
	CHECK(dev_irq(&sys, COM2_IRQ, irq) == STD_OK, "irq 3 granted");
	dev_outb(COM2 + 1, 0x00);		/* IER off */
	CHECK(dev_irq_wait(irq, 50) == STD_NOTNOW,
	      "no interrupt yet: dev_irq_wait times out with STD_NOTNOW");
	(void)dev_inb(COM2 + 2);
	dev_outb(COM2 + 4, 0x08);		/* OUT2: the line to the PIC */
	dev_outb(COM2 + 1, 0x02);		/* transmitter empty: fires */
	CHECK(dev_irq_wait(irq, 2000) == STD_OK,
	      "COM2's transmitter interrupt wakes dev_irq_wait");
	(void)dev_inb(COM2 + 2);		/* IIR read: clears it */
	dev_outb(COM2 + 1, 0x00);
	dev_outb(COM2 + 1, 0x02);		/* raise again, line masked */
	CHECK(dev_irq_wait(irq, 100) == STD_NOTNOW,
	      "the line stays masked until dev_irq_ack");
	CHECK(dev_irq_ack(irq) == STD_OK, "dev_irq_ack");
	CHECK(dev_irq_wait(irq, 2000) == STD_OK,
	      "after the ack the pending interrupt comes through");
	(void)dev_inb(COM2 + 2);
	dev_outb(COM2 + 1, 0x00);
	dev_outb(COM2 + 4, 0x00);
	CHECK(dev_irq_ack(irq) == STD_OK, "dev_irq_ack again");
}

static void
test_revocation(capability *ports, capability *irq)
{
	static char st[16384];
	capability pcap, p2, i2, forged;
	int said, n = -1;

	CHECK(std_destroy(ports) == STD_OK && std_destroy(irq) == STD_OK,
	      "our grants given back (std_destroy)");
	CHECK(dev_ports(&sys, COM2, 8, &p2) == STD_OK &&
	      dev_irq(&sys, COM2_IRQ, &i2) == STD_OK,
	      "ports and line granted anew for a child");
	said = run_child(child_holder_main, &p2, &i2, &pcap);
	CHECK(said && child_word == STD_NOTNOW,
	      "the child uses the ports and waits on the line");
	CHECK(sys_status(st, sizeof(st)) && strstr(st, "ports 0x2f8-0x2ff") &&
	      strstr(st, "userirq 3 unmasked"),
	      "sys std_status: the child's grant, line 3 unmasked");
	CHECK(dev_ports(&sys, COM2 + 4, 1, ports) == STD_NOTNOW,
	      "ports held by the child: STD_NOTNOW");
	CHECK(dev_held(&sys, &pcap, &n) == STD_OK && n == 2,
	      "dev_held: the child holds its two grants");
	forged = pcap;
	forged.cap_priv.prv_random._portbytes[0] ^= 1;
	CHECK(dev_held(&sys, &forged, &n) == STD_CAPBAD,
	      "dev_held of a forged process capability: STD_CAPBAD");
	std_destroy(&pcap);
	CHECK(child_gone(&pcap, 10000), "the child killed");
	CHECK(dev_held(&sys, &pcap, &n) == STD_CAPBAD,
	      "dev_held of the dead child: STD_CAPBAD");
	CHECK(sys_status(st, sizeof(st)) && !strstr(st, "ports 0x2f8") &&
	      strstr(st, "userirq 3 masked") && !strstr(st, "irq 3 ("),
	      "after its death: grants revoked, line 3 masked and unbound");
	if (!strstr(st, "userirq 3 masked"))
		printf("# %s\n", st);
	CHECK(dev_ports_enable(&p2) == STD_CAPBAD,
	      "the dead child's grant is no longer valid");
	CHECK(dev_ports(&sys, COM2, 8, ports) == STD_OK &&
	      dev_ports_enable(ports) == STD_OK &&
	      dev_inb(COM2 + 7) == 0x3C,
	      "the ports can be granted again (the child's write is there)");
}

static void
test_dma(void)
{
	capability g;
	uint32_t phys = 0;
	void *va = NULL;
	int ok = 1;

	CHECK(dev_dma(&sys, 3 * 4096 + 100, &g) == STD_OK, "dma grant");
	CHECK(dev_dma_map(&g, &va, NULL) == STD_ARGBAD,
	      "dev_dma_map without a place for the address: STD_ARGBAD");
	CHECK(dev_dma_map(&g, &va, &phys) == STD_OK && va && phys &&
	      (phys & 4095) == 0, "dma memory mapped, page-aligned address");
	if (va == NULL)
		return;
	for (unsigned i = 0; i < 4 * 4096; i += 4)
		((volatile uint32_t *)va)[i / 4] = i;
	for (unsigned i = 0; i < 4 * 4096 && ok; i += 4)
		ok = ((volatile uint32_t *)va)[i / 4] == i;
	CHECK(ok, "dma memory is read-write, all of it");
	CHECK(std_destroy(&g) == STD_OK, "dma grant given back");
}

static void
test_pci(void)
{
	static char st[16384];
	struct dev_pci_info info;
	capability g, pcap;
	char name[64];
	void *va;
	int said, n;

	CHECK(dev_pci(&sys, "1234:11e8", &g) == STD_OK, "edu: pci grant");
	CHECK(dev_pci_info(&g, &info) == STD_OK && info.vendor == 0x1234 &&
	      info.device == 0x11e8 && info.nbar >= 1 && !info.bar[0].io &&
	      info.bar[0].size >= 4096, "edu: pci info, memory BAR 0");
	CHECK(dev_pci_map(&g, 6, &va) == STD_ARGBAD, "BAR 6: STD_ARGBAD");
	CHECK(dev_pci_map(&g, 5, &va) == STD_ARGBAD,
	      "BAR 5 (absent): STD_ARGBAD");
	CHECK(dev_pci_map(&g, 0, (void **)8) == STD_ARGBAD,
	      "bad pointer for the address: STD_ARGBAD");
	CHECK(dev_ports_enable(&g) == STD_OK, "no I/O BAR: nothing opened");
	n = 0;
	CHECK(std_info(&g, name, sizeof(name) - 1, &n) == STD_OK &&
	      n > 12 && (name[n] = 0, strncmp(name, "pci ", 4) == 0) &&
	      strstr(name, " 1234:11e8") == name + 11,
	      "std_info of the grant: pci bb:dd.f 1234:11e8");
	name[11] = 0;
	CHECK(std_destroy(&g) == STD_OK, "pci grant given back");
	CHECK(dev_pci(&sys, name + 4, &g) == STD_OK &&
	      dev_pci_info(&g, &info) == STD_OK && info.device == 0x11e8,
	      "pci grant anew, by bus:device.function");
	CHECK(std_destroy(&g) == STD_OK &&
	      dev_pci(&sys, "1234:11e8", &g) == STD_OK,
	      "given back, and granted for a child");
	said = run_child(child_pci_main, &g, NULL, &pcap);
	CHECK(said && (uint32_t)child_word == 0x010000ed,
	      "a child maps BAR 0 and reads the identification 0x010000ed");
	CHECK(sys_status(st, sizeof(st)) &&
	      strstr(st, "1234:11e8 busmaster on"),
	      "sys std_status: bus mastering on while it holds the device");
	std_destroy(&pcap);
	CHECK(child_gone(&pcap, 10000), "the child killed");
	CHECK(sys_status(st, sizeof(st)) &&
	      strstr(st, "1234:11e8 busmaster off") &&
	      !strstr(st, "1234:11e8 held by"),
	      "after its death: bus mastering off, the grant revoked");
	CHECK(dev_pci_info(&g, &info) == STD_CAPBAD,
	      "the dead child's pci grant is no longer valid");
}

int
main(void)
{
	capability ports, irq;
	errstat err;

	err = kdir_lookup(NULL, "sys", &sys);
	CHECK(err == STD_OK, "sys server found in the kernel directory");
	if (err != STD_OK)
		return TEST_DONE();
	test_refusals();
	test_ports(&ports);
	test_child_refused(&ports);
	test_irq(&irq);
	test_revocation(&ports, &irq);
	test_dma();
	test_pci();
	return TEST_DONE();
}
