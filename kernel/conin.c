/*
 * conin.c - console input: characters from the serial port (and later
 * the keyboard) go into a ring from interrupt context; readers take them
 * raw or as a line with editing (backspace/DEL erase, ^U kills the line,
 * echo on the console).
 *
 * Concurrency: the ring is filled with interrupts off and drained by
 * threads with interrupts off around each access; readers sleep on the
 * ring.  One line reader at a time (conin_lock).
 */
#include <stdbool.h>
#include <string.h>

#include "arch.h"
#include "conin.h"
#include "klib.h"
#include "krandom.h"
#include "thread.h"

#define RING 1024

static char ring[RING];
static uint32_t rhead, rtail;   /* irq-off */
static struct kmutex conin_lock;
uint32_t conin_dropped;

void
conin_put(char c)
{
	krandom_stir((uint32_t)c);
	if (rhead - rtail >= RING) {
		conin_dropped++;
		return;
	}
	ring[rhead++ % RING] = c;
	thread_wakeup(ring);
}

/* conin_getc: next character; -1 if none and nowait (or interrupted). */
int
conin_getc(bool nowait)
{
	uint32_t f = arch_irq_save();
	int c = -1;

	while (rhead == rtail) {
		if (nowait || thread_sleep(ring, 0) == THREAD_INTERRUPTED)
			goto out;
	}
	c = (unsigned char)ring[rtail++ % RING];
out:
	arch_irq_restore(f);
	return c;
}

static void
echo(char c)
{
	if (c == '\n')
		console_putc('\r');
	console_putc(c);
}

/* conin_readline: a line with editing, ending in '\n' when it fits. */
int
conin_readline(char *buf, int len)
{
	int n = 0;

	if (len <= 0)
		return 0;
	kmutex_lock(&conin_lock);
	while (n < len) {
		int c = conin_getc(false);

		if (c < 0)
			break;
		if (c == '\r')
			c = '\n';
		if (c == 0x7F || c == '\b') {
			if (n > 0) {
				n--;
				console_write("\b \b", 3);
			}
			continue;
		}
		if (c == 0x15) { /* ^U */
			for (; n > 0; n--)
				console_write("\b \b", 3);
			continue;
		}
		if (c == 0x04 && n == 0) /* ^D at line start: end of file */
			break;
		buf[n++] = (char)c;
		echo((char)c);
		if (c == '\n')
			break;
	}
	kmutex_unlock(&conin_lock);
	return n;
}
