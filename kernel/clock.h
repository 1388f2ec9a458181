/*
 * clock.h - the time of day.
 *
 * The kernel keeps wall-clock time as the Unix time at one instant plus
 * the uptime since then (arch_micro).  A clock driver (drivers/rtc reads
 * the CMOS clock at boot) sets it with clock_tod_set; the system call
 * and the time-of-day server read it with clock_tod.  Until a driver has
 * set it, the time of day counts from 1970-01-01.
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

/* clock_tod_set: the wall-clock time is `sec` Unix seconds now. */
void clock_tod_set(int64_t sec);
/* clock_tod: the time of day as Unix seconds and microseconds. */
void clock_tod(int64_t *sec, int32_t *usec);

#endif /* KERNEL_CLOCK_H */
