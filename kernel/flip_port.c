/*
 * flip_port.c - the kernel's implementation of flip/flip_port.h: clock,
 * memory, entropy and wakeups for the portable FLIP and RPC code.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "flip/flip_port.h"
#include "krandom.h"
#include "mem.h"
#include "thread.h"

uint32_t
flip_port_now_ms(void)
{
	return arch_milli();
}

void *
flip_port_alloc(size_t n)
{
	return kmalloc(n);
}

void
flip_port_free(void *p)
{
	kfree(p);
}

void
flip_port_random(void *buf, size_t n)
{
	krandom(buf, n);
}

void
flip_port_wakeup(void *obj)
{
	thread_wakeup(obj);
}
