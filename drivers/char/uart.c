/*
 * uart.c - 16550 UART driver: the serial console.
 *
 * uart_console_init() programs COM1 for polled output at boot so that
 * kprintf works from the first line; the speed comes from the command
 * line option `baud=` (default 115200).  Output is polled (the console
 * must work in a panic with interrupts off); input is interrupt driven
 * (uart_console_input) into the console input ring (conin.c).
 */
#include <stdint.h>

#include "arch.h"
#include "conin.h"
#include "kernel/arch/i386/x86.h"
#include "klib.h"
#include "uart.h"

#define UART_CLOCK 115200u

enum {
	R_DATA = 0, R_IER = 1, R_FCR = 2, R_LCR = 3, R_MCR = 4, R_LSR = 5,
	R_DLL = 0, R_DLM = 1,
};
#define LSR_THRE 0x20
#define LSR_DR 0x01

static const uint16_t com_base[4] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };
static uint16_t console_port;

/* uart_setup: 8N1 at baud with FIFOs on; returns false if no chip answers. */
bool
uart_setup(int unit, uint32_t baud)
{
	uint16_t p = com_base[unit & 3];
	uint32_t div = baud ? UART_CLOCK / baud : 1;

	if (div == 0)
		div = 1;
	outb(p + R_IER, 0);
	outb(p + R_LCR, 0x80);
	outb(p + R_DLL, div & 0xFF);
	outb(p + R_DLM, (div >> 8) & 0xFF);
	outb(p + R_LCR, 0x03);
	outb(p + R_FCR, 0xC7);
	outb(p + R_MCR, 0x03);
	return inb(p + R_LSR) != 0xFF;
}

void
uart_putc(int unit, char c)
{
	uint16_t p = com_base[unit & 3];

	for (int spin = 0; spin < 100000; spin++)
		if (inb(p + R_LSR) & LSR_THRE)
			break;
	outb(p + R_DATA, (uint8_t)c);
}

int
uart_getc_nowait(int unit)
{
	uint16_t p = com_base[unit & 3];

	if (inb(p + R_LSR) & LSR_DR)
		return inb(p + R_DATA);
	return -1;
}

static void
console_uart_putc(char c)
{
	uart_putc(console_port == com_base[0] ? 0 : 1, c);
}

void
uart_console_init(uint32_t baud)
{
	console_port = com_base[0];
	uart_setup(0, baud);
	console_register(console_uart_putc);
}

static void
uart_irq(int irq, void *arg)
{
	uint16_t p = com_base[0];

	(void)irq;
	(void)arg;
	while (inb(p + R_LSR) & LSR_DR)
		conin_put((char)inb(p + R_DATA));
}

/* uart_console_input: interrupt-driven input from COM1 to the console. */
void
uart_console_input(void)
{
	uint16_t p = com_base[0];

	arch_irq_register(4, uart_irq, NULL);
	outb(p + R_MCR, 0x0B); /* DTR, RTS, OUT2 (IRQ enable on PCs) */
	outb(p + R_IER, 0x01); /* received data available */
	arch_irq_unmask(4);
	while (inb(p + R_LSR) & LSR_DR)
		conin_put((char)inb(p + R_DATA));
}
