/*
 * cpu.c - small CPU services for the machine-independent kernel: the
 * interrupt flag, the clock (PIT ticks, TSC for microseconds), RDRAND,
 * leaving QEMU, and arch_init.
 */
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"


static volatile uint32_t ticks;  /* PIT ticks since pit_init */
static uint32_t tsc_per_us = 1;   /* calibrated in arch_clock_calibrate */
static uint64_t tsc_boot;
static volatile uint64_t tsc_tick; /* TSC at the last tick */
static int have_rdrand;

uint32_t
arch_irq_save(void)
{
	uint32_t f = read_eflags();

	cli();
	return f;
}

void
arch_irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		sti();
}

void
arch_irq_enable(void)
{
	sti();
}

bool
arch_irqs_enabled(void)
{
	return (read_eflags() & EFLAGS_IF) != 0;
}

void
arch_idle(void)
{
	sti_hlt();
}

uint32_t
arch_frame_pointer(void)
{
	return read_ebp();
}

uint64_t
arch_cycles(void)
{
	return rdtsc();
}

/* The PIT interrupt: count the tick; the scheduler's hook does the rest. */
void
arch_clock_tick(void)
{
	tsc_tick = rdtsc();
	ticks++;
}

uint32_t
arch_milli(void)
{
	return ticks * (1000 / ARCH_HZ);
}

uint64_t
arch_micro(void)
{
	return (rdtsc() - tsc_boot) / tsc_per_us;
}

/*
 * arch_clock_us: the PIT's time in microseconds, refined within the
 * current tick by the TSC, so it never drifts from arch_milli even when
 * the calibration was disturbed (a loaded host delays the PIT), and it
 * never goes backwards.
 */
uint64_t
arch_clock_us(void)
{
	const uint64_t per_tick = 1000000 / ARCH_HZ;
	uint64_t frac;
	uint32_t t;

	do {			/* the tick interrupt may land in between */
		t = ticks;
		frac = (rdtsc() - tsc_tick) / tsc_per_us;
	} while (t != ticks);
	if (frac >= per_tick)
		frac = per_tick - 1;
	return (uint64_t)t * per_tick + frac;
}

/* Count TSC cycles over 20 PIT ticks (interrupts must be on). */
void
arch_clock_calibrate(void)
{
	uint32_t t0 = ticks;
	uint64_t c0, c1;

	while (ticks == t0)
		arch_idle();
	c0 = rdtsc();
	t0 = ticks;
	while (ticks - t0 < 20)
		arch_idle();
	c1 = rdtsc();
	tsc_per_us = (uint32_t)((c1 - c0) / (20 * 1000000u / ARCH_HZ));
	if (tsc_per_us == 0)
		tsc_per_us = 1;
	tsc_boot = c0 - (uint64_t)t0 * 1000 * tsc_per_us;
}

bool
arch_rdrand(uint32_t *v)
{
	if (!have_rdrand)
		return false;
	for (int i = 0; i < 10; i++)
		if (rdrand32(v))
			return true;
	return false;
}

void
arch_exit(int code)
{
	cli();
	console_flush();           /* nothing still queued for the serial port */
	outb(0xF4, (uint8_t)code); /* isa-debug-exit: QEMU leaves here */
	for (;;)
		hlt();
}

void
arch_init(void)
{
	uint32_t a, b, c, d;

	arch_desc_init();
	pic_init();
	pit_init();
	fpu_init();
	cpuid(0, &a, &b, &c, &d);
	if (a >= 1) {
		cpuid(1, &a, &b, &c, &d);
		have_rdrand = (c >> 30) & 1;
	}
}
