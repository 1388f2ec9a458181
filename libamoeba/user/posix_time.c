/*
 * posix_time.c - the small POSIX time calls Amoeba's C library gives
 * every program: sleep, usleep and pause over the kernel's sleep, which
 * a signal ends early.
 *
 * Entry points: sleep, usleep, pause.
 */
#include <errno.h>
#include <unistd.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/syscall.h>

/* Sleep ms milliseconds, in pieces an interval holds. */
static void
sleep_ms(unsigned long long ms)
{
	while (ms > 0) {
		interval k = ms > 0x7FFFFFFFull ? 0x7FFFFFFF : (interval)ms;

		sys_sleep(k);
		ms -= (unsigned long long)k;
	}
}

unsigned
sleep(unsigned seconds)
{
	sleep_ms((unsigned long long)seconds * 1000);
	return 0;
}

int
usleep(useconds_t us)
{
	if (us >= 1000000) {
		errno = EINVAL;
		return -1;
	}
	sleep_ms((us + 999) / 1000);
	return 0;
}

/* Wait until a signal has been delivered (its catcher has run). */
int
pause(void)
{
	while (sys_sleep(0x7FFFFFFF) != STD_INTR)
		;
	errno = EINTR;
	return -1;
}
