/*
 * tty.c - terminal input rings and the line discipline (see tty.h).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/krandom.h"
#include "kernel/tty.h"

static void
console_out(struct tty *t, const char *s, size_t n)
{
	(void)t;
	console_write(s, n);
}

struct tty tty_console = { .name = "console", .write = console_out };

void
tty_input(struct tty *t, char c)
{
	krandom_stir((uint32_t)c);
	if (c == 0x03 && t->intr_waiters > 0) {	/* ^C: see tty_wait_intr */
		t->nintr++;
		thread_wakeup(&t->nintr);
		thread_wakeup(t->ring);		/* and end waiting reads */
		return;
	}
	if (t->rhead - t->rtail >= TTY_RING) {
		t->dropped++;
		return;
	}
	t->ring[t->rhead++ % TTY_RING] = c;
	thread_wakeup(t->ring);
}

/* Next character before deadline (ms clock; 0 = none); -1 if none, or
 * when a ^C for tty_wait_intr came while waiting (the reader may be a
 * process the shell is stopping: its read must not eat later input). */
static int
getc_until(struct tty *t, bool nowait, uint32_t deadline)
{
	uint32_t f = arch_irq_save(), intr = t->nintr;
	int c = -1;

	while (t->rhead == t->rtail) {
		int32_t left = (int32_t)(deadline - arch_milli());

		if (nowait || (deadline && left <= 0) || t->nintr != intr)
			goto out;
		if (thread_sleep(t->ring, deadline ? (uint32_t)left : 0) ==
		    THREAD_INTERRUPTED)
			goto out;
	}
	c = (unsigned char)t->ring[t->rtail++ % TTY_RING];
	t->nread++;
out:
	arch_irq_restore(f);
	return c;
}

int
tty_wait_intr(struct tty *t, uint32_t ms)
{
	uint32_t f = arch_irq_save(), seen = t->nintr;
	uint32_t cancels = t->intr_cancels, deadline = arch_milli() + ms;
	int32_t left;

	t->intr_waiters++;
	while (t->nintr == seen && t->intr_cancels == cancels &&
	       (left = (int32_t)(deadline - arch_milli())) > 0)
		if (thread_sleep(&t->nintr, (uint32_t)left) ==
		    THREAD_INTERRUPTED)
			break;
	t->intr_waiters--;
	seen = t->nintr != seen;
	arch_irq_restore(f);
	return (int)seen;
}

void
tty_cancel_intr(struct tty *t)
{
	uint32_t f = arch_irq_save();

	t->intr_cancels++;
	thread_wakeup(&t->nintr);
	arch_irq_restore(f);
}

int
tty_getc(struct tty *t, bool nowait)
{
	return getc_until(t, nowait, 0);
}

void
tty_write(struct tty *t, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		t->write(t, s + start, i - start);
		t->write(t, "\r\n", 2);
		start = i + 1;
	}
	t->write(t, s + start, n - start);
	t->nwritten += (uint32_t)n;
}

static void
erase(struct tty *t, int *n)
{
	if (*n > 0) {
		(*n)--;
		t->write(t, "\b \b", 3);
	}
}

int
tty_readline(struct tty *t, char *buf, int len)
{
	return tty_readline_ms(t, buf, len, 0);
}

int
tty_readline_ms(struct tty *t, char *buf, int len, uint32_t ms)
{
	uint32_t deadline = ms ? arch_milli() + ms : 0;
	int n = 0;

	if (deadline == 0 && ms)
		deadline = 1;

	if (len <= 0)
		return 0;
	if (kmutex_lock_intr(&t->lock) != 0)
		return 0; /* being killed: no line */
	while (n < len) {
		int c = getc_until(t, false, deadline);

		if (c < 0)
			break;
		if (c == '\r')
			c = '\n';
		if (c == 0x7F || c == '\b') {
			erase(t, &n);
			continue;
		}
		if (c == 0x15) { /* ^U */
			while (n > 0)
				erase(t, &n);
			continue;
		}
		if (c == 0x04 && n == 0) /* ^D at line start: end of file */
			break;
		buf[n++] = (char)c;
		tty_write(t, buf + n - 1, 1);
		if (c == '\n')
			break;
	}
	kmutex_unlock(&t->lock);
	return n;
}

/* tty_readline_raw: one character, no echo, within ms (0 = no limit). */
int
tty_readline_raw(struct tty *t, char *buf, uint32_t ms)
{
	uint32_t deadline = ms ? arch_milli() + ms : 0;
	int c;

	if (deadline == 0 && ms)
		deadline = 1;
	c = getc_until(t, false, deadline);
	if (c < 0)
		return 0;
	buf[0] = (char)c;
	return 1;
}
