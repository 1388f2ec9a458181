/*
 * klib.h - kernel printing, panics and assertions.
 *
 * kprintf writes to every registered console (serial and VGA).  The format
 * language is printf's: flags '-' '0', a width, the length modifiers l and
 * ll, and the conversions d i u x X p s c %.
 */
#ifndef KERNEL_KLIB_H
#define KERNEL_KLIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The formatter under all of the above: calls out(c, arg) per character. */
int kformat(void (*out)(char c, void *arg), void *arg, const char *fmt,
	    va_list ap);

/* console_register: add an output sink (serial port, VGA) for kprintf. */
void console_register(void (*putc)(char c));
/* console_register_flush: a sink's "send what you buffered, now". */
void console_register_flush(void (*flush)(void));
/* console_flush: every sink empties its buffer (before leaving QEMU). */
void console_flush(void);
/* console_sync: set by panic: sinks write synchronously from now on. */
extern volatile bool console_sync;
void console_putc(char c);
void console_write(const char *s, size_t n);

/* The kernel log: the last KLOG_SIZE bytes that went to the console. */
#define KLOG_SIZE 16384
size_t klog_read(char *buf, size_t size);

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* backtrace: print the call chain from frame pointer ebp, with symbols. */
void backtrace(uint32_t ebp);
/* ksym_lookup: name of the function containing addr, and the offset. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

#define KASSERT(cond)                                                       \
	do {                                                                \
		if (!(cond))                                                \
			panic("assertion failed: %s at %s:%d", #cond,       \
			      __FILE__, __LINE__);                          \
	} while (0)

/* Exit codes written to QEMU's isa-debug-exit (QEMU exits with 2*code+1). */
enum {
	EXIT_PASS = 0,  /* all tests passed / init exited 0 */
	EXIT_FAIL = 1,  /* some test failed */
	EXIT_PANIC = 2, /* the kernel panicked */
};
/* arch_exit: leave QEMU through isa-debug-exit if present, else halt. */
void arch_exit(int code) __attribute__((noreturn));

#endif /* KERNEL_KLIB_H */
