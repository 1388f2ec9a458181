/*
 * clock.c - the time of day: a base set by the clock driver plus the
 * uptime.  Entry points: clock_tod_set, clock_tod.
 */
#include "kernel/arch/arch.h"
#include "kernel/clock.h"

static int64_t base_sec;	/* Unix time at base_us */
static uint64_t base_us;	/* arch_clock_us() when the base was set */

void
clock_tod_set(int64_t sec)
{
	uint32_t f = arch_irq_save();

	base_sec = sec;
	base_us = arch_clock_us();
	arch_irq_restore(f);
}

void
clock_tod(int64_t *sec, int32_t *usec)
{
	uint64_t up = arch_clock_us() - base_us;

	*sec = base_sec + (int64_t)(up / 1000000);
	*usec = (int32_t)(up % 1000000);
}
