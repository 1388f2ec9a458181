/*
 * vga.c - VGA text-mode console (80x25 at 0xB8000).
 *
 * vga_console_init() clears the screen and registers the console sink;
 * output scrolls and follows \n, \r, \b and \t.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/i386/x86.h"
#include "kernel/klib.h"
#include "vga.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x0700

static volatile uint16_t *const screen = (volatile uint16_t *)0xB8000;
static int row, col;

static void
vga_cursor(void)
{
	uint16_t pos = (uint16_t)(row * COLS + col);

	outb(0x3D4, 14);
	outb(0x3D5, pos >> 8);
	outb(0x3D4, 15);
	outb(0x3D5, pos & 0xFF);
}

static void
vga_scroll(void)
{
	for (int i = 0; i < (ROWS - 1) * COLS; i++)
		screen[i] = screen[i + COLS];
	for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
		screen[i] = ATTR | ' ';
	row = ROWS - 1;
}

static void
vga_putc(char c)
{
	switch (c) {
	case '\n':
		row++;
		col = 0;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		screen[row * COLS + col] = ATTR | (uint8_t)c;
		col++;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		vga_scroll();
	vga_cursor();
}

void
vga_console_init(void)
{
	for (int i = 0; i < ROWS * COLS; i++)
		screen[i] = ATTR | ' ';
	row = col = 0;
	console_register(vga_putc);
}
