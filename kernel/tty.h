/*
 * tty.h - terminals: an input ring filled from interrupt context and a
 * line discipline for readers (backspace/DEL erase, ^U kills the line,
 * ^D at the start of a line is end of file, echo), plus an output
 * function.  The console (serial COM1, VGA, keyboard) is tty_console;
 * every other serial port gets its own.
 *
 * Concurrency: tty_input runs in interrupt context with interrupts off;
 * readers take characters with interrupts off and sleep on the ring; one
 * line reader at a time per terminal (t->lock).
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/thread.h"

#define TTY_RING 1024

struct tty {
	const char *name;            /* "console", "com2" ... */
	void (*write)(struct tty *t, const char *s, size_t n); /* output */
	void *drv;                   /* the driver's unit */
	char ring[TTY_RING];         /* input (irq-off) */
	uint32_t rhead, rtail;       /* producer / consumer counts (irq-off) */
	struct kmutex lock;          /* one line reader at a time */
	uint32_t nread, nwritten;    /* bytes through the terminal */
	uint32_t dropped;            /* input lost to a full ring */
	uint32_t nintr;              /* ^C typed while intr_waiters > 0 */
	int intr_waiters;            /* threads in tty_wait_intr (irq-off) */
	uint32_t intr_cancels;       /* tty_cancel_intr calls (irq-off) */
};

extern struct tty tty_console;

/* tty_input: a received character (interrupt context). */
void tty_input(struct tty *t, char c);
/* tty_getc: next character; -1 if none and nowait (or interrupted). */
int tty_getc(struct tty *t, bool nowait);
/* tty_readline: a line with editing, ending in '\n' when it fits. */
int tty_readline(struct tty *t, char *buf, int len);
/* tty_readline_ms: the same, giving up after ms (what was typed so far). */
int tty_readline_ms(struct tty *t, char *buf, int len, uint32_t ms);
/* tty_readline_raw: one character, no echo, within ms (0 = no limit). */
int tty_readline_raw(struct tty *t, char *buf, uint32_t ms);
/* tty_wait_intr: wait at most ms (> 0) for a ^C; 1 if one was typed.
 * While someone waits, ^C is taken out of the input (the shell's
 * interrupt key for its foreground job) and ends every read waiting for
 * input (a line read returns what was typed so far). */
int tty_wait_intr(struct tty *t, uint32_t ms);
/* tty_cancel_intr: end every tty_wait_intr now (returning 0). */
void tty_cancel_intr(struct tty *t);
/* tty_write: output, '\n' as CR LF. */
void tty_write(struct tty *t, const char *s, size_t n);

#endif /* KERNEL_TTY_H */
