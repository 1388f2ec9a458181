/*
 * flip_port.c - the kernel's implementation of flip/flip_port.h: clock,
 * memory, entropy, sleep and wakeup, and the check of user buffers for
 * the portable FLIP and RPC code.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "flip/flip_port.h"
#include "kernel/krandom.h"
#include "kernel/mem.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <exception.h>

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

int
flip_port_sleep(void *obj)
{
	uint32_t f = arch_irq_save();
	int r = thread_sleep_sig(obj, 0);

	arch_irq_restore(f);
	if (r == THREAD_INTERRUPTED)
		return -1;
	return r == THREAD_SIGNALLED ? 1 : 0;
}

/* The thread whose call object is obj gets SIG_TRANS. */
static void
sigtrans_if_owner(struct thread *t, void *obj)
{
	if (t->rpc == obj)
		thread_signal(t, SIG_TRANS);
}

void
flip_port_sigtrans(void *obj)
{
	thread_foreach(sigtrans_if_owner, obj);
}

/* Kernel buffers stay; a user buffer may have been unmapped meanwhile. */
int
flip_port_writable(void *buf, size_t n)
{
	uint32_t va = (uint32_t)buf;

	if (va < USER_BASE || va >= USER_END)
		return 1;
	return user_ok(va, (uint32_t)n, true);
}
