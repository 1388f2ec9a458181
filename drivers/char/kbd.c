/*
 * kbd.c - PS/2 keyboard: scan code set 1 from the i8042 controller on
 * IRQ 1, translated for a US layout (shift, caps lock, control) and fed
 * into the console terminal (tty.c), like characters from the serial port.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "kernel/tty.h"
#include "kernel/arch/i386/x86.h"
#include "kbd.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64

static const char normal[0x3A] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=',
	'\b', '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[',
	']', '\r', 0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'',
	'`', 0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,
	'*', 0, ' ',
};

static const char shifted[0x3A] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',
	'\b', '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{',
	'}', '\r', 0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"',
	'~', 0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,
	'*', 0, ' ',
};

static bool shift, ctrl, caps;
uint32_t kbd_keys;

/* kbd_translate: one scan code to a character, or -1 (state updated). */
int
kbd_translate(uint8_t sc)
{
	bool up = sc & 0x80;
	uint8_t key = sc & 0x7F;
	char c;

	if (key == 0x2A || key == 0x36) {
		shift = !up;
		return -1;
	}
	if (key == 0x1D) {
		ctrl = !up;
		return -1;
	}
	if (up || key >= sizeof(normal))
		return -1;
	if (key == 0x3A) {
		caps = !caps;
		return -1;
	}
	c = shift ? shifted[key] : normal[key];
	if (c == 0)
		return -1;
	if (caps && c >= 'a' && c <= 'z' && !shift)
		c = (char)(c - 'a' + 'A');
	else if (caps && c >= 'A' && c <= 'Z' && shift)
		c = (char)(c - 'A' + 'a');
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c = (char)(c & 0x1F);
	return (unsigned char)c;
}

static void
kbd_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
	while (inb(KBD_STATUS) & 1) {
		int c = kbd_translate(inb(KBD_DATA));

		if (c >= 0) {
			kbd_keys++;
			tty_input(&tty_console, (char)c);
		}
	}
}

void
kbd_init(void)
{
	while (inb(KBD_STATUS) & 1) /* drop what the firmware left */
		(void)inb(KBD_DATA);
	arch_irq_register(1, kbd_irq, NULL);
	arch_irq_unmask(1);
}
