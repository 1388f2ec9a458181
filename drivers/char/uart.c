/*
 * uart.c - 16550 UARTs: COM1 (the serial console) to COM4.
 *
 * uart_console_init() programs COM1 at boot for polled output so that
 * kprintf works from the first line; uart_start() later detects COM2-4,
 * switches every present port to interrupts and gives each extra port a
 * terminal (tty.h).  Speeds: `baud=N` for COM1, `comN=BAUD` for any port.
 *
 * Output goes through a ring per port drained by the transmit-empty
 * interrupt (16 bytes per FIFO refill); when the ring is full, or the
 * console must be synchronous (a panic, leaving QEMU: console_flush), the
 * ring is drained by polling.  Input is interrupt driven into the port's
 * terminal.  COM1/COM3 share IRQ 4 and COM2/COM4 IRQ 3.
 * `uartuser=2,4` (COM numbers, not COM1) leaves those ports untouched so
 * that their ports and IRQ can be granted to a user-space driver
 * (uart_owns_port tells the grant code which ports the kernel keeps).
 * Concurrency: ring and registers are touched with interrupts off.
 */
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/arch/i386/x86.h"
#include "kernel/klib.h"
#include "kernel/tty.h"
#include "uart.h"

#define UART_CLOCK 115200u
#define TXRING 4096
#define FIFO 16

enum {
	R_DATA = 0, R_IER = 1, R_IIR = 2, R_FCR = 2, R_LCR = 3, R_MCR = 4,
	R_LSR = 5, R_SCR = 7, R_DLL = 0, R_DLM = 1,
};
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define IER_RX 0x01
#define IER_TX 0x02

struct uart {
	uint16_t base;          /* I/O port base */
	int irq;                /* 4 or 3 */
	bool present;           /* a chip answered */
	bool irq_mode;          /* transmit through the ring */
	uint8_t ier;            /* interrupt enables last written */
	char tx[TXRING];        /* output ring (irq-off) */
	uint32_t th, tt;        /* ring head (written) and tail (sent) */
	struct tty *tty;        /* where input goes */
	struct tty own;         /* the terminal of a non-console port */
	char name[8];           /* "com2" */
};

static struct uart units[4] = {
	{ .base = 0x3F8, .irq = 4 }, { .base = 0x2F8, .irq = 3 },
	{ .base = 0x3E8, .irq = 4 }, { .base = 0x2E8, .irq = 3 },
};

/* uart_setup: 8N1 at baud with FIFOs on; false if no chip answers. */
static bool
uart_setup(int unit, uint32_t baud)
{
	uint16_t p = units[unit & 3].base;
	uint32_t div = baud ? UART_CLOCK / baud : 1;

	outb(p + R_SCR, 0x5A);
	if (inb(p + R_SCR) != 0x5A || inb(p + R_LSR) == 0xFF)
		return false;
	if (div == 0)
		div = 1;
	outb(p + R_IER, 0);
	outb(p + R_LCR, 0x80);
	outb(p + R_DLL, div & 0xFF);
	outb(p + R_DLM, (div >> 8) & 0xFF);
	outb(p + R_LCR, 0x03);
	outb(p + R_FCR, 0xC7);
	outb(p + R_MCR, 0x03);
	units[unit & 3].present = true;
	return true;
}

static void
poll_put(struct uart *u, char c)
{
	for (int spin = 0; spin < 100000; spin++)
		if (inb(u->base + R_LSR) & LSR_THRE)
			break;
	outb(u->base + R_DATA, (uint8_t)c);
}

static void
set_ier(struct uart *u, uint8_t ier)
{
	if (u->ier != ier) {
		u->ier = ier;
		outb(u->base + R_IER, ier);
	}
}

/* Caller: interrupts off.  Refill the FIFO if it is empty. */
static void
tx_kick(struct uart *u)
{
	if (u->tt != u->th && (inb(u->base + R_LSR) & LSR_THRE)) {
		for (int i = 0; i < FIFO && u->tt != u->th; i++)
			outb(u->base + R_DATA, (uint8_t)u->tx[u->tt++ % TXRING]);
	}
	set_ier(u, IER_RX | (u->tt != u->th ? IER_TX : 0));
}

/* Caller: interrupts off.  Send everything queued, by polling. */
static void
tx_drain(struct uart *u)
{
	while (u->tt != u->th)
		poll_put(u, u->tx[u->tt++ % TXRING]);
}

/* Caller: interrupts off (console_putc, uart_write). */
static void
uart_tx(struct uart *u, char c)
{
	if (!u->irq_mode || console_sync) {
		tx_drain(u);
		poll_put(u, c);
		return;
	}
	if (u->th - u->tt >= TXRING)
		poll_put(u, u->tx[u->tt++ % TXRING]); /* make room */
	u->tx[u->th++ % TXRING] = c;
	tx_kick(u);
}

static void
console_uart_putc(char c)
{
	uart_tx(&units[0], c);
}

static void
console_uart_flush(void)
{
	uint32_t f = arch_irq_save();

	tx_drain(&units[0]);
	arch_irq_restore(f);
}

void
uart_console_init(uint32_t baud)
{
	uart_setup(0, baud);
	units[0].present = true; /* QEMU and PCs have COM1; write blind */
	units[0].tty = &tty_console;
	console_register(console_uart_putc);
	console_register_flush(console_uart_flush);
}

/* Both lines: every port on the IRQ, until none has anything pending. */
static void
uart_irq(int irq, void *arg)
{
	(void)arg;
	for (int i = 0; i < 4; i++) {
		struct uart *u = &units[i];

		if (!u->present || u->irq != irq || !u->tty)
			continue;
		while (!(inb(u->base + R_IIR) & 1)) {
			while (inb(u->base + R_LSR) & LSR_DR)
				tty_input(u->tty, (char)inb(u->base + R_DATA));
			tx_kick(u);
		}
		while (inb(u->base + R_LSR) & LSR_DR)
			tty_input(u->tty, (char)inb(u->base + R_DATA));
	}
}

static void
port_write(struct tty *t, const char *s, size_t n)
{
	struct uart *u = t->drv;
	uint32_t f = arch_irq_save();

	for (size_t i = 0; i < n; i++)
		uart_tx(u, s[i]);
	arch_irq_restore(f);
}

/* Is COMn (n = 2..4) in the uartuser= list (left to user space)? */
static bool
user_unit(int n)
{
	const char *s = cmdline_get("uartuser");

	for (; s && *s; s++)
		if (*s - '0' == n && (s[1] == 0 || s[1] == ','))
			return n >= 2;
	return false;
}

bool
uart_owns_port(uint32_t port)
{
	for (int i = 0; i < 4; i++)
		if (units[i].present && port >= units[i].base &&
		    port < units[i].base + 8u)
			return true;
	return false;
}

/* Bring up unit i in interrupt mode; its terminal for ports 2..4. */
static void
start_unit(int i)
{
	struct uart *u = &units[i];
	char key[8] = "com1";
	uint32_t f;

	key[3] = (char)('1' + i);
	if (i > 0 && user_unit(i + 1)) {
		kprintf("uart: com%d left to user space (uartuser)\n", i + 1);
		return;
	}
	if (i > 0) {
		if (!uart_setup(i, (uint32_t)cmdline_int(key, 115200)))
			return;
		ksnprintf(u->name, sizeof(u->name), "com%d", i + 1);
		u->own.name = u->name;
		u->own.write = port_write;
		u->own.drv = u;
		u->tty = &u->own;
	} else if (cmdline_get(key)) {
		uart_setup(0, (uint32_t)cmdline_int(key, 115200));
	}
	arch_irq_register(u->irq, uart_irq, NULL);
	f = arch_irq_save();
	outb(u->base + R_MCR, 0x0B); /* DTR, RTS, OUT2 (IRQ enable on PCs) */
	u->irq_mode = true;
	u->ier = 0;
	tx_kick(u);
	arch_irq_restore(f);
	arch_irq_unmask(u->irq);
	while (inb(u->base + R_LSR) & LSR_DR)
		tty_input(u->tty, (char)inb(u->base + R_DATA));
}

/* uart_start: interrupts for COM1 and every other port found. */
void
uart_start(void)
{
	for (int i = 0; i < 4; i++)
		start_unit(i);
}

/* uart_tty: the terminal of COMn+1 (n >= 1), or NULL if absent. */
struct tty *
uart_tty(int unit)
{
	if (unit < 1 || unit > 3 || !units[unit].present)
		return NULL;
	return &units[unit].own;
}
