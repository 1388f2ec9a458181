/*
 * kprintf.c - formatted output for the kernel, the console fan-out and the
 * kernel log ring.
 *
 * Entry points: kformat (the formatter), kprintf, kvprintf, ksnprintf,
 * kvsnprintf, console_register, console_putc, console_write, klog_read.
 * Concurrency: single CPU; console_putc runs with interrupts off for each
 * character so output from an interrupt handler never tears the ring.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/klib.h"
#include "kernel/arch/arch.h"

#define MAX_SINKS 4

static void (*sinks[MAX_SINKS])(char c);
static int nsinks;
static void (*flushers[MAX_SINKS])(void);
static int nflushers;
volatile bool console_sync;
static char klog[KLOG_SIZE];
static uint32_t klog_head; /* total bytes ever written */

void
console_register(void (*putc)(char c))
{
	if (nsinks < MAX_SINKS)
		sinks[nsinks++] = putc;
}

void
console_register_flush(void (*flush)(void))
{
	if (nflushers < MAX_SINKS)
		flushers[nflushers++] = flush;
}

void
console_flush(void)
{
	for (int i = 0; i < nflushers; i++)
		flushers[i]();
}

void
console_putc(char c)
{
	uint32_t f = arch_irq_save();

	klog[klog_head++ % KLOG_SIZE] = c;
	for (int i = 0; i < nsinks; i++)
		sinks[i](c);
	arch_irq_restore(f);
}

void
console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

/* klog_read: copy the newest log bytes, oldest first; returns the count. */
size_t
klog_read(char *buf, size_t size)
{
	uint32_t f = arch_irq_save();
	uint32_t have = klog_head < KLOG_SIZE ? klog_head : KLOG_SIZE;
	uint32_t n = have < size ? have : size;
	uint32_t from = klog_head - n;

	for (uint32_t i = 0; i < n; i++)
		buf[i] = klog[(from + i) % KLOG_SIZE];
	arch_irq_restore(f);
	return n;
}

struct fmt_spec {
	bool left;
	char pad;
	int width;
	int lng; /* 0, 1 (l) or 2 (ll) */
};

static int
emit_str(void (*out)(char, void *), void *arg, const char *s, size_t n,
	 const struct fmt_spec *sp)
{
	int count = 0;
	int fill = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!sp->left)
		for (; fill > 0; fill--, count++)
			out(sp->pad, arg);
	for (size_t i = 0; i < n; i++, count++)
		out(s[i], arg);
	for (; fill > 0; fill--, count++)
		out(' ', arg);
	return count;
}

static int
emit_num(void (*out)(char, void *), void *arg, uint64_t v, bool neg,
	 unsigned base, bool upper, const struct fmt_spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->pad == '0' && sp->width > 0) {
			struct fmt_spec s2 = *sp;

			out('-', arg);
			s2.width--;
			return 1 + emit_str(out, arg, tmp + i, sizeof(tmp) - i,
					    &s2);
		}
		tmp[--i] = '-';
	}
	return emit_str(out, arg, tmp + i, sizeof(tmp) - i, sp);
}

static uint64_t
take_unsigned(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t
take_signed(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* One conversion after '%'; returns characters written, advances *fmt. */
static int
convert(void (*out)(char, void *), void *arg, const char **fmt, va_list *ap)
{
	struct fmt_spec sp = { false, ' ', 0, 0 };
	const char *f = *fmt;
	int64_t sv;
	const char *s;
	char c;

	for (; *f == '-' || *f == '0'; f++) {
		if (*f == '-')
			sp.left = true;
		else
			sp.pad = '0';
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp.width = sp.width * 10 + (*f - '0');
	for (; *f == 'l' && sp.lng < 2; f++)
		sp.lng++;
	if (*f == 'z')
		f++;
	*fmt = f + 1;
	switch (*f) {
	case 'd':
	case 'i':
		sv = take_signed(ap, sp.lng);
		return emit_num(out, arg, sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
				sv < 0, 10, false, &sp);
	case 'u':
		return emit_num(out, arg, take_unsigned(ap, sp.lng), false, 10,
				false, &sp);
	case 'x':
	case 'X':
		return emit_num(out, arg, take_unsigned(ap, sp.lng), false, 16,
				*f == 'X', &sp);
	case 'p':
		out('0', arg);
		out('x', arg);
		sp.pad = '0';
		sp.width = 8;
		return 2 + emit_num(out, arg, (uintptr_t)va_arg(*ap, void *),
				    false, 16, false, &sp);
	case 's':
		s = va_arg(*ap, const char *);
		if (s == NULL)
			s = "(null)";
		return emit_str(out, arg, s, strlen(s), &sp);
	case 'c':
		c = (char)va_arg(*ap, int);
		return emit_str(out, arg, &c, 1, &sp);
	case '%':
		out('%', arg);
		return 1;
	default:
		*fmt = f;
		out('%', arg);
		return 1;
	}
}

int
kformat(void (*out)(char c, void *arg), void *arg, const char *fmt,
	va_list ap)
{
	va_list aq;
	int n = 0;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out(*fmt++, arg);
			n++;
			continue;
		}
		fmt++;
		if (*fmt == 0)
			break;
		n += convert(out, arg, &fmt, &aq);
	}
	va_end(aq);
	return n;
}

static void
out_console(char c, void *arg)
{
	(void)arg;
	if (c == '\n')
		console_putc('\r');
	console_putc(c);
}

void
kvprintf(const char *fmt, va_list ap)
{
	kformat(out_console, NULL, fmt, ap);
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

struct sbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void
out_buf(char c, void *arg)
{
	struct sbuf *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, size, 0 };

	kformat(out_buf, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
