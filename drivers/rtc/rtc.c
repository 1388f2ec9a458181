/*
 * rtc.c - the CMOS real-time clock: read the date and time once at boot
 * (waiting out an update in progress, BCD or binary, 12 or 24 hour) and
 * hand it to the kernel's clock (kernel/clock.h).  Entry point: rtc_init.
 */
#include <stdint.h>

#include "kernel/arch/i386/x86.h"
#include "kernel/clock.h"
#include "rtc.h"

/* CMOS ports and registers. */
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_SEC	0x00
#define CMOS_MIN	0x02
#define CMOS_HOUR	0x04
#define CMOS_DAY	0x07
#define CMOS_MONTH	0x08
#define CMOS_YEAR	0x09
#define CMOS_STATUS_A	0x0A
#define CMOS_STATUS_B	0x0B
#define STA_UPDATING	0x80	/* A: an update is in progress */
#define STB_24HOUR	0x02	/* B: 24-hour mode */
#define STB_BINARY	0x04	/* B: binary, not BCD */
#define HOUR_PM		0x80	/* 12-hour mode: afternoon */
#define SPIN_MAX	100000	/* polls of STA_UPDATING before giving up */

static uint8_t
cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
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
	int sec, min, hour, day, mon, year, bcd, h12, pm;

	for (int spin = 0; spin < SPIN_MAX &&
	     (cmos(CMOS_STATUS_A) & STA_UPDATING); spin++)
		;
	sec = cmos(CMOS_SEC);
	min = cmos(CMOS_MIN);
	hour = cmos(CMOS_HOUR);
	day = cmos(CMOS_DAY);
	mon = cmos(CMOS_MONTH);
	year = cmos(CMOS_YEAR);
	bcd = !(cmos(CMOS_STATUS_B) & STB_BINARY);
	h12 = !(cmos(CMOS_STATUS_B) & STB_24HOUR);
	pm = hour & HOUR_PM;
	hour = from_bcd(hour & ~HOUR_PM, bcd);
	if (h12)
		hour = (hour % 12) + (pm ? 12 : 0);
	year = from_bcd(year, bcd) + 2000;
	clock_tod_set(rtc_days_from_civil(year, from_bcd(mon, bcd),
					  from_bcd(day, bcd)) * 86400 +
		      hour * 3600 + from_bcd(min, bcd) * 60 +
		      from_bcd(sec, bcd));
}
