/*
 * panic.c - kernel panics and symbolised backtraces.
 *
 * panic() prints "vx: panic: <reason>", the call chain with function
 * names from the table that scripts/ksyms.sh links into the kernel, and
 * leaves QEMU through isa-debug-exit (or halts on real hardware).
 */
#include <stdint.h>

#include "kernel/klib.h"
#include "kernel/arch/arch.h"

/* Laid out by scripts/ksyms.sh: count, then (addr, name offset) pairs. */
extern const uint32_t ksyms_table[];

const char *
ksym_lookup(uint32_t addr, uint32_t *offset)
{
	uint32_t n = ksyms_table[0];
	const uint32_t *pairs = ksyms_table + 1;
	const char *names = (const char *)(pairs + 2 * n);
	uint32_t lo = 0, hi = n;

	if (n == 0 || addr < pairs[0])
		return NULL;
	while (hi - lo > 1) { /* last entry with address <= addr */
		uint32_t mid = (lo + hi) / 2;

		if (pairs[2 * mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - pairs[2 * lo];
	return names + pairs[2 * lo + 1];
}

static int
frame_ok(uint32_t ebp)
{
	return ebp >= 0x1000u && ebp < 0x40000000u &&
	       (ebp & 3) == 0;
}

void
backtrace(uint32_t ebp)
{
	for (int depth = 0; depth < 24 && frame_ok(ebp); depth++) {
		uint32_t *frame = (uint32_t *)ebp;
		uint32_t ret = frame[1], off = 0;
		const char *name = ksym_lookup(ret - 1, &off);

		if (ret == 0)
			break;
		kprintf("  #%d %p %s+0x%x\n", depth, (void *)ret,
			name ? name : "?", off + 1);
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
}

static int panicking;

void
panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_save();
	console_flush();
	console_sync = true;
	if (panicking++) {
		kprintf("vx: panic: nested panic\n");
		arch_exit(EXIT_PANIC);
	}
	kprintf("\nvx: panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\nbacktrace:\n");
	backtrace(arch_frame_pointer());
	arch_exit(EXIT_PANIC);
}
