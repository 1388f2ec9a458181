/*
 * syscall.c - the INT 57 ("newsys") system calls of amoeba/syscall.h.
 *
 * Every call goes through vx_newsys(): ESI = code, EBX/ECX/EDX/EDI = the
 * arguments, the result in EAX.  All registers are declared as changed,
 * so nothing depends on what the kernel preserves.
 */
#include <module/syscall.h>

static inline long
vx_newsys(long code, long a1, long a2, long a3, long a4)
{
	long ret;

	__asm__ volatile("int %6"
			 : "=a"(ret), "+S"(code), "+b"(a1), "+c"(a2),
			   "+d"(a3), "+D"(a4)
			 : "i"(VX_INT_NEWSYS)
			 : "memory", "cc");
	return ret;
}

#define SYS0(c)			vx_newsys((c), 0, 0, 0, 0)
#define SYS1(c, a)		vx_newsys((c), (long)(a), 0, 0, 0)
#define SYS2(c, a, b)		vx_newsys((c), (long)(a), (long)(b), 0, 0)
#define SYS3(c, a, b, d)	\
	vx_newsys((c), (long)(a), (long)(b), (long)(d), 0)

long
sys_newsys(long code, long a1, long a2, long a3, long a4)
{
	return vx_newsys(code, a1, a2, a3, a4);
}

errstat
getinfo(capability *cap, char *pd, int len)
{
	return SYS3(SYS_GETINFO, cap, pd, len);
}

void
exitprocess(int status)
{
	for (;;)
		SYS1(SYS_EXITPROCESS, status);
}

void
threadswitch(void)
{
	SYS0(SYS_THREADSWITCH);
}

long
seg_map(capability *cap, unsigned long va, unsigned long len, long flags)
{
	return vx_newsys(SYS_SEG_MAP, (long)cap, (long)va, (long)len, flags);
}

errstat
seg_unmap(long segid, capability *cap)
{
	return SYS2(SYS_SEG_UNMAP, segid, cap);
}

errstat
seg_grow(long segid, unsigned long newlen)
{
	return SYS2(SYS_SEG_GROW, segid, newlen);
}

errstat
sys_mu_wait(volatile int *addr, int expected, interval ms)
{
	return SYS3(SYS_MU_WAIT, addr, expected, ms);
}

long
sys_mu_wake(volatile int *addr, int nthreads)
{
	return SYS2(SYS_MU_WAKE, addr, nthreads);
}

long
sys_newthread(void (*pc)(void), void *sp, void *local)
{
	return SYS3(SYS_NEWTHREAD, pc, sp, local);
}

void *
sys_getlocal(void)
{
	return (void *)SYS0(SYS_GETLOCAL);
}

unsigned long
sys_milli(void)
{
	return (unsigned long)SYS0(SYS_MILLI);
}

errstat
sys_null(void)
{
	return SYS0(SYS_NULL);
}

long
thread_get_max_prio(void)
{
	return SYS0(SYS_THREAD_GET_MAX_PRIO);
}

long
thread_set_prio(long prio)
{
	return SYS1(SYS_THREAD_SET_PRIORITY, prio);
}

/* Amoeba numbers priorities upwards from 0; VX's HIGH is 0. */
static long
am_to_vx(long am)
{
	return VX_PRIO_LOW - am;
}

void
thread_get_max_priority(long *max)
{
	long vx = thread_get_max_prio();

	if (max)
		*max = vx < 0 ? 0 : am_to_vx(vx);
}

void
thread_set_priority(long newprio, long *old)
{
	long max, prev;

	thread_get_max_priority(&max);
	if (newprio < 0)
		newprio = 0;
	if (newprio > max)
		newprio = max;
	prev = thread_set_prio(am_to_vx(newprio));
	if (old)
		*old = prev < 0 ? 0 : am_to_vx(prev);
}

void
thread_enable_preemption(void)
{
	thread_en_preempt(1);
}

long
thread_en_preempt(long on)
{
	return SYS1(SYS_THREAD_EN_PREEMPT, on);
}

long
sys_console_write(const void *buf, long len)
{
	return SYS2(SYS_CONSOLE_WRITE, buf, len);
}

long
sys_console_read(void *buf, long len, long flags)
{
	return SYS3(SYS_CONSOLE_READ, buf, len, flags);
}

long
sys_brk(unsigned long newbrk)
{
	return SYS1(SYS_BRK, newbrk);
}

errstat
sys_gettime(struct vx_time *t)
{
	return SYS1(SYS_GETTIME, t);
}

errstat
sys_sleep(interval ms)
{
	return SYS1(SYS_SLEEP, ms);
}

long
sys_proc_set_priority(long prio)
{
	return SYS1(SYS_PROC_SET_PRIORITY, prio);
}

errstat
sys_micro(unsigned long long *us)
{
	return SYS1(SYS_MICRO, us);
}

long
sys_getpid(void)
{
	return SYS0(SYS_GETPID);
}

errstat
sys_stats(struct vx_stats *st)
{
	return SYS1(SYS_STATS, st);
}
