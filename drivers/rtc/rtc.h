/* rtc.h - the CMOS real-time clock: sets the kernel's time of day. */
#ifndef DRIVERS_RTC_RTC_H
#define DRIVERS_RTC_RTC_H

#include <stdint.h>

void rtc_init(void);
int64_t rtc_days_from_civil(int y, int m, int d);

#endif /* DRIVERS_RTC_RTC_H */
