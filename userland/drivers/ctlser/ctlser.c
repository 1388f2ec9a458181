/*
 * ctlser.c - the controller node's serial driver, a user process: it
 * drives a 16550 UART (COM2 by default) through its granted I/O ports
 * and IRQ only (module/dev.h) and serves the line protocol of the
 * device behind it (the sensor and valve, scripts/tanksim.py) to the
 * controller server by RPC (CTLSER_LINE, ctl.h).
 *
 *   ctlser [-b base] [-i irq] [-s baud] [path]
 *
 * Defaults: base 0x2f8, IRQ 3, 115200 baud, path /home/ctlser (where its
 * capability is entered, replacing the one of an earlier run).  The node
 * must leave the UART to user space (kernel option uartuser=2).
 *
 * Receiving is interrupt-driven: after a line is sent (polling the
 * transmitter) the driver waits for its IRQ (dev_irq_wait), empties the
 * receiver and acknowledges, until the answer's newline or CTLSER_WAIT
 * ms.  One thread; requests are served one at a time, as the line is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <module/dev.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>

#include "../../servers/ctlsvr/ctl.h"

/* 16550 registers (offsets from base) and bits. */
#define U_DATA		0	/* RBR / THR; DLL with DLAB */
#define U_IER		1	/* DLM with DLAB */
#define U_IIR		2	/* read; FCR on write */
#define U_LCR		3
#define U_MCR		4
#define U_LSR		5
#define IER_RDA		0x01	/* interrupt when data is received */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_FIFO	0x07	/* enable, clear both FIFOs, trigger at 1 */
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ on a PC */
#define LSR_DR		0x01	/* a byte is waiting */
#define LSR_THRE	0x20	/* the transmitter takes a byte */
#define TX_SPINS	100000	/* LSR polls for one byte to go */

static uint16_t base = 0x2f8;
static capability irq;			/* the IRQ grant */
static struct {
	unsigned long lines, irqs, rx, tx, timeouts, dropped;
} cnt;

static void
fail(const char *what, errstat err)
{
	printf("ctlser: %s (%s)\n", what, err_why(err));
	exit(1);
}

/* Ask for the ports and the IRQ and open the ports to this process. */
static void
grants(int line)
{
	capability sys, ports;
	errstat err;

	if ((err = dev_sys_cap(&sys)) != STD_OK)
		fail("no sys server capability", err);
	if ((err = dev_ports(&sys, base, 8, &ports)) != STD_OK)
		fail("no grant for the UART's ports", err);
	if ((err = dev_irq(&sys, line, &irq)) != STD_OK)
		fail("no grant for the UART's IRQ", err);
	if ((err = dev_ports_enable(&ports)) != STD_OK)
		fail("cannot open the granted ports", err);
}

static void
uart_init(long baud)
{
	uint16_t div = (uint16_t)(115200 / baud);

	dev_outb(base + U_IER, 0);
	dev_outb(base + U_LCR, LCR_DLAB);
	dev_outb(base + U_DATA, div & 0xff);
	dev_outb(base + U_IER, div >> 8);
	dev_outb(base + U_LCR, LCR_8N1);
	dev_outb(base + U_IIR, FCR_FIFO);
	dev_outb(base + U_MCR, MCR_DTR_RTS_OUT2);
	while (dev_inb(base + U_LSR) & LSR_DR)
		(void)dev_inb(base + U_DATA);
	dev_outb(base + U_IER, IER_RDA);
}

/* Send one byte, polling the transmitter; 0 if it never got ready. */
static int
tx(uint8_t c)
{
	for (long i = 0; i < TX_SPINS; i++)
		if (dev_inb(base + U_LSR) & LSR_THRE) {
			dev_outb(base + U_DATA, c);
			cnt.tx++;
			return 1;
		}
	return 0;
}

/* Move what the receiver holds into buf (*len bytes so far, max). */
static void
rx_drain(char *buf, int *len, int max)
{
	while (dev_inb(base + U_LSR) & LSR_DR) {
		char c = (char)dev_inb(base + U_DATA);

		cnt.rx++;
		if (*len < max)
			buf[(*len)++] = c;
		else
			cnt.dropped++;
	}
}

/* The answer line into ans (NUL-ended, no CR/LF) when buf holds one. */
static int
have_line(char *buf, int len, char *ans, int max)
{
	char *nl = memchr(buf, '\n', (size_t)len);
	int n;

	if (nl == NULL)
		return 0;
	n = (int)(nl - buf);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n > max - 1)
		n = max - 1;
	memcpy(ans, buf, (size_t)n);
	ans[n] = 0;
	return 1;
}

/*
 * Send cmd and a newline, then collect the answer line, woken by the
 * receive interrupt; STD_NOTNOW when none comes within CTLSER_WAIT ms.
 */
static errstat
line(const char *cmd, char *ans, int max)
{
	char buf[CTLSER_LINEMAX * 2];
	int len = 0;
	unsigned long t0 = sys_milli();

	rx_drain(buf, &len, 0);		/* drop anything unasked for */
	for (const char *p = cmd; *p; p++)
		if (!tx((uint8_t)*p))
			return STD_SYSERR;
	if (!tx('\n'))
		return STD_SYSERR;
	cnt.lines++;
	for (;;) {
		long left = CTLSER_WAIT - (long)(sys_milli() - t0);
		errstat err;

		rx_drain(buf, &len, (int)sizeof(buf));
		if (have_line(buf, len, ans, max))
			return STD_OK;
		if (left <= 0)
			break;
		err = dev_irq_wait(&irq, left);
		if (err == STD_OK) {
			cnt.irqs++;
			rx_drain(buf, &len, (int)sizeof(buf));
			dev_irq_ack(&irq);
		} else if (err != STD_NOTNOW) {
			return err;
		}
	}
	cnt.timeouts++;
	return STD_NOTNOW;
}

static int32
status(char *rep, int max)
{
	int n = snprintf(rep, (size_t)max,
			 "uart 0x%x lines %lu irqs %lu rx %lu tx %lu "
			 "timeouts %lu dropped %lu\n", base, cnt.lines,
			 cnt.irqs, cnt.rx, cnt.tx, cnt.timeouts, cnt.dropped);

	return n < max ? n : max - 1;
}

static void __attribute__((noreturn))
serve(port *get, port *check)
{
	char req[CTLSER_LINEMAX + 1], rep[160];
	rights_bits rights;
	header h;
	int32 n;

	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = *get;
		n = rpc_getreq(&h, req, CTLSER_LINEMAX);
		if (n < 0)
			continue;
		req[n] = 0;
		if (prv_number(&h.h_priv) != 0 ||
		    prv_decode(&h.h_priv, &rights, check) != 0) {
			h.h_status = STD_CAPBAD;
			n = 0;
		} else if (h.h_command == CTLSER_LINE) {
			h.h_status = memchr(req, '\n', (size_t)n) ? STD_ARGBAD :
				     line(req, rep, CTLSER_LINEMAX + 1);
			n = h.h_status == STD_OK ? (int32)strlen(rep) : 0;
		} else if (h.h_command == STD_INFO) {
			n = snprintf(rep, sizeof(rep), "serial driver, UART "
				     "0x%x", base);
			h.h_status = STD_OK;
		} else if (h.h_command == STD_STATUS) {
			n = status(rep, (int)sizeof(rep));
			h.h_status = STD_OK;
		} else {
			h.h_status = STD_COMBAD;
			n = 0;
		}
		h.h_size = (bufsize)n;
		rpc_putrep(&h, rep, (f_size_t)n);
	}
}

static void
publish(const char *path, capability *cap)
{
	errstat err = name_replace((char *)path, cap);

	if (err != STD_OK)
		err = name_append((char *)path, cap);
	if (err != STD_OK)
		fail("cannot enter its capability", err);
}

int
main(int argc, char **argv)
{
	const char *path = "/home/ctlser";
	long baud = 115200, irqline = 3;
	char hello[CTLSER_LINEMAX + 1];
	capability self;
	port get, check;
	errstat err;
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-b") == 0)
			base = (uint16_t)strtol(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "-i") == 0)
			irqline = strtol(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "-s") == 0)
			baud = strtol(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i + 1 < argc || (i < argc && argv[i][0] == '-') || baud < 1 ||
	    baud > 115200 || irqline < 0 || irqline > 15) {
		printf("usage: ctlser [-b base] [-i irq] [-s baud] [path]\n");
		return 2;
	}
	if (i < argc)
		path = argv[i];
	grants((int)irqline);
	uart_init(baud);
	err = line("I", hello, sizeof(hello));
	printf("ctlser: UART 0x%x IRQ %ld: device says \"%s\"\n", base,
	       irqline, err == STD_OK ? hello : err_why(err));
	uniqport(&get);
	uniqport(&check);
	priv2pub(&get, &self.cap_port);
	prv_encode(&self.cap_priv, 0, PRV_ALL_RIGHTS, &check);
	publish(path, &self);
	printf("ctlser: serving as %s\n", path);
	fflush(stdout);
	serve(&get, &check);
}
