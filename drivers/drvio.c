/*
 * drvio.c - the kernel's side of module/drvio.h, the device access of
 * chip logic shared with user-space drivers: the clock and a turn for
 * other threads (ports are the instructions, usable in the kernel).
 */
#include <stdint.h>

#include <module/drvio.h>

#include "kernel/arch/arch.h"
#include "kernel/thread.h"

uint64_t
drv_clock_us(void)
{
	return arch_micro();
}

void
drv_yield(void)
{
	thread_yield();
}
