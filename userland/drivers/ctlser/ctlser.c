/*
 * ctlser.c - the controller node's serial driver, a user process on the
 * driver library (module/driver.h): it drives a 16550 UART (COM2 by
 * default) through its granted I/O ports and IRQ only and serves the
 * line protocol of the device behind it (the sensor and valve,
 * scripts/tanksim.py) to the controller server by RPC (CTLSER_LINE,
 * userland/servers/ctlsvr/ctl.h).
 *
 *   ctlser [-b base] [-i irq] [-s baud] [path]
 *
 * Defaults: base 0x2f8, IRQ 3, 115200 baud, path /home/ctlser (where its
 * capability is entered, replacing the one of an earlier run).  The node
 * must leave the UART to user space (kernel option uartuser=2).
 *
 * Receiving is interrupt-driven: the library's interrupt thread calls
 * uart_interrupt, which moves the received bytes into rx and wakes the
 * request waiting for them (rx_sema).  Sending polls the transmitter.
 * One server thread: requests are served one at a time, as the line
 * is.  rx_mu protects rx and the UART's receive side between the two
 * threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <semaphore.h>
#include <stderr.h>
#include <module/driver.h>
#include <module/mutex.h>
#include <module/name.h>
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
#define RXMAX		(2 * CTLSER_LINEMAX)

static struct drv_conf conf = {
	.name = "ctlser: serial driver of the controller node",
	.port_base = 0x2f8, .port_count = 8, .irq = 3,
};
static struct drv drv;
static uint16_t base;

static mutex rx_mu;
static semaphore rx_sema;	/* up after each interrupt */
static char rx[RXMAX];		/* rx_mu: received, not yet taken */
static int rxlen;		/* rx_mu */
static struct {
	unsigned long lines, rx, tx, timeouts, dropped;	/* rx_mu */
} cnt;

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

/* Move what the receiver holds into rx.  Caller must hold rx_mu. */
static void
rx_drain(void)
{
	while (dev_inb(base + U_LSR) & LSR_DR) {
		char c = (char)dev_inb(base + U_DATA);

		cnt.rx++;
		if (rxlen < RXMAX)
			rx[rxlen++] = c;
		else
			cnt.dropped++;
	}
}

/* The library's interrupt thread: the line fired. */
static void
uart_interrupt(struct drv *d)
{
	(void)d;
	mu_lock(&rx_mu);
	(void)dev_inb(base + U_IIR);
	rx_drain();
	mu_unlock(&rx_mu);
	sema_up(&rx_sema);
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

/* Take a whole line from rx into ans (NUL-ended, no CR/LF); 0 if none
 * has come yet. */
static int
take_line(char *ans, int max)
{
	char *nl;
	int n, ok = 0;

	mu_lock(&rx_mu);
	rx_drain();		/* a byte the interrupt has not seen yet */
	nl = memchr(rx, '\n', (size_t)rxlen);
	if (nl != NULL) {
		n = (int)(nl - rx);
		rxlen = 0;
		if (n > 0 && rx[n - 1] == '\r')
			n--;
		if (n > max - 1)
			n = max - 1;
		memcpy(ans, rx, (size_t)n);
		ans[n] = 0;
		ok = 1;
	}
	mu_unlock(&rx_mu);
	return ok;
}

/*
 * Send cmd and a newline, then wait for the answer line, woken by the
 * receive interrupt; STD_NOTNOW when none comes within CTLSER_WAIT ms.
 */
static errstat
line(const char *cmd, char *ans, int max)
{
	unsigned long t0 = sys_milli();
	long left;

	mu_lock(&rx_mu);
	rx_drain();
	cnt.dropped += (unsigned long)rxlen;	/* nobody asked for it */
	rxlen = 0;
	cnt.lines++;
	mu_unlock(&rx_mu);
	while (sema_trydown(&rx_sema, 0) == 0)
		;			/* wake-ups for what was dropped */
	for (const char *p = cmd; *p; p++)
		if (!tx((uint8_t)*p))
			return STD_SYSERR;
	if (!tx('\n'))
		return STD_SYSERR;
	while (!take_line(ans, max)) {
		left = CTLSER_WAIT - (long)(sys_milli() - t0);
		if (left <= 0 || sema_trydown(&rx_sema, left) != 0) {
			if (take_line(ans, max))
				break;
			mu_lock(&rx_mu);
			cnt.timeouts++;
			mu_unlock(&rx_mu);
			return STD_NOTNOW;
		}
	}
	return STD_OK;
}

/* The library's server thread: CTLSER_LINE. */
static int32
request(struct drv *d, header *h, char *req, int32 reqlen, char *rep,
	int32 repmax)
{
	char cmd[CTLSER_LINEMAX + 1];

	(void)d;
	if (h->h_command != CTLSER_LINE) {
		h->h_status = (command)STD_COMBAD;
		return 0;
	}
	if (reqlen > CTLSER_LINEMAX || memchr(req, '\n', (size_t)reqlen)) {
		h->h_status = (command)STD_ARGBAD;
		return 0;
	}
	memcpy(cmd, req, (size_t)reqlen);
	cmd[reqlen] = 0;
	h->h_status = (command)line(cmd, rep, (int)repmax);
	h->h_size = h->h_status == STD_OK ? (bufsize)strlen(rep) : 0;
	return (int32)h->h_size;
}

static int
status(struct drv *d, char *buf, int max)
{
	int n;

	(void)d;
	mu_lock(&rx_mu);
	n = snprintf(buf, (size_t)max, "uart 0x%x lines %lu rx %lu tx %lu "
		     "timeouts %lu dropped %lu\n", base, cnt.lines, cnt.rx,
		     cnt.tx, cnt.timeouts, cnt.dropped);
	mu_unlock(&rx_mu);
	return n < 0 ? 0 : (n < max ? n : max - 1);
}

static const struct drv_ops ops = {
	.request = request, .interrupt = uart_interrupt, .status = status,
};

static void
publish(const char *path, capability *cap)
{
	errstat err = name_replace((char *)path, cap);

	if (err != STD_OK)
		err = name_append((char *)path, cap);
	if (err != STD_OK) {
		printf("ctlser: cannot enter its capability as %s (%s)\n",
		       path, err_why(err));
		exit(1);
	}
}

/* The options; the path to enter the capability as. */
static const char *
options(int argc, char **argv, long *baud)
{
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-b") == 0)
			conf.port_base = (uint16_t)strtol(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "-i") == 0)
			conf.irq = (int)strtol(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "-s") == 0)
			*baud = strtol(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i + 1 < argc || (i < argc && argv[i][0] == '-') || *baud < 1 ||
	    *baud > 115200 || conf.irq < 0 || conf.irq > 15 ||
	    conf.port_base == 0) {
		printf("usage: ctlser [-b base] [-i irq] [-s baud] [path]\n");
		exit(2);
	}
	return i < argc ? argv[i] : "/home/ctlser";
}

int
main(int argc, char **argv)
{
	long baud = 115200;
	const char *path = options(argc, argv, &baud);
	char hello[CTLSER_LINEMAX + 1];
	errstat err;

	sema_init(&rx_sema, 0);
	if (drv_open(&drv, &conf) != STD_OK)
		return 1;
	base = conf.port_base;
	uart_init(baud);
	if (drv_start(&drv, &ops, 1) != STD_OK)
		return 1;
	err = line("I", hello, sizeof(hello));
	printf("ctlser: UART 0x%x IRQ %d: device says \"%s\"\n", base,
	       conf.irq, err == STD_OK ? hello : err_why(err));
	publish(path, &drv.cap);
	printf("ctlser: serving as %s\n", path);
	fflush(stdout);
	for (;;)
		sys_sleep(60000);
}
