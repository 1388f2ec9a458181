/* rtc.h - CMOS real-time clock and the time of day (see rtc.c). */
#ifndef DRIVERS_RTC_RTC_H
#define DRIVERS_RTC_RTC_H

#include <stdint.h>

void rtc_init(void);
/* rtc_now: the time of day as Unix seconds and microseconds. */
void rtc_now(int64_t *sec, int32_t *usec);
int64_t rtc_days_from_civil(int y, int m, int d);

#endif /* DRIVERS_RTC_RTC_H */
