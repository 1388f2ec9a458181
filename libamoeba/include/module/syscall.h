/*
 * module/syscall.h - C entry points for the VX system calls.
 *
 * One function per call of amoeba/syscall.h (the RPC calls are in
 * module/rpc.h, the thread calls in thread.h).  Each is a thin wrapper
 * around INT 57 ("newsys"): the kernel's value comes back unchanged, so a
 * negative result is an errstat (stderr.h).  Calls that return addresses
 * (sys_brk) report errors as values in -4095 .. -1 (see VX_IS_ERR).
 */
#ifndef MODULE_SYSCALL_H
#define MODULE_SYSCALL_H

#include <amoeba.h>
#include <amoeba/syscall.h>

/* An address-or-error result is an error when it lies in -4095 .. -1. */
#define VX_IS_ERR(v)	((unsigned long)(v) > (unsigned long)-4096L)

/* getinfo: this process's capability and PD (checkpoint form); the
 * PD's length, or a negative error (STD_OVERFLOW if len is too small). */
errstat getinfo(capability *cap, char *pd, int len);
void exitprocess(int status) __attribute__((noreturn));
void threadswitch(void);
long seg_map(capability *cap, unsigned long va, unsigned long len,
	     long flags);
errstat seg_unmap(long segid, capability *cap);
errstat seg_grow(long segid, unsigned long newlen);
errstat sys_mu_wait(volatile int *addr, int expected, interval ms);
long sys_mu_wake(volatile int *addr, int nthreads);
long sys_newthread(void (*pc)(void), void *sp, void *local);
void *sys_getlocal(void);
unsigned long sys_milli(void);
errstat sys_null(void);
/* The raw thread calls: VX_PRIO_HIGH 0 .. VX_PRIO_LOW 2 (thread.h has
 * Amoeba's numbering); thread_en_preempt returns the old setting. */
long thread_get_max_prio(void);
long thread_set_prio(long prio);
long thread_en_preempt(long on);

long sys_console_write(const void *buf, long len);
long sys_console_read(void *buf, long len, long flags);
long sys_brk(unsigned long newbrk);
errstat sys_gettime(struct vx_time *t);
errstat sys_sleep(interval ms);
long sys_proc_set_priority(long prio);
errstat sys_micro(unsigned long long *us);
long sys_getpid(void);
errstat sys_stats(struct vx_stats *st);

/* Raw access for tests (the fuzzer): INT 57 with any code and arguments. */
long sys_newsys(long code, long a1, long a2, long a3, long a4);

#endif /* MODULE_SYSCALL_H */
