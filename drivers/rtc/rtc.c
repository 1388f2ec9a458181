/*
 * rtc.c - the CMOS real-time clock: read the date and time once at boot
 * (waiting out an update in progress, BCD or binary, 12 or 24 hour) and
 * keep the time of day as that plus the uptime.
 */
#include <stdint.h>

#include "arch.h"
#include "kernel/arch/i386/x86.h"
#include "rtc.h"

static int64_t boot_sec;     /* Unix time at rtc_init */
static uint64_t boot_us;     /* arch_micro() at rtc_init */

static uint8_t
cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int
from_bcd(int v, int bcd)
{
	return bcd ? (v & 0x0F) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
int64_t
rtc_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int yoe = (int)(y - era * 400);
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
rtc_init(void)
{
	int sec, min, hour, day, mon, year, bcd, h12;

	for (int spin = 0; spin < 100000 && (cmos(0x0A) & 0x80); spin++)
		;
	sec = cmos(0x00);
	min = cmos(0x02);
	hour = cmos(0x04);
	day = cmos(0x07);
	mon = cmos(0x08);
	year = cmos(0x09);
	bcd = !(cmos(0x0B) & 0x04);
	h12 = !(cmos(0x0B) & 0x02);
	int pm = hour & 0x80;
	hour = from_bcd(hour & 0x7F, bcd);
	if (h12)
		hour = (hour % 12) + (pm ? 12 : 0);
	year = from_bcd(year, bcd) + 2000;
	boot_sec = rtc_days_from_civil(year, from_bcd(mon, bcd),
				       from_bcd(day, bcd)) * 86400 +
		   hour * 3600 + from_bcd(min, bcd) * 60 + from_bcd(sec, bcd);
	boot_us = arch_micro();
}

void
rtc_now(int64_t *sec, int32_t *usec)
{
	uint64_t up = arch_micro() - boot_us;

	*sec = boot_sec + (int64_t)(up / 1000000);
	*usec = (int32_t)(up % 1000000);
}
