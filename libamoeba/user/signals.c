/*
 * signals.c - Amoeba's signals for user programs (module/signals.h).
 *
 * Each thread keeps its catchers in its struct vx_thread (t_sigvec),
 * registered with the kernel by sys_setvec.  Every entry enters
 * sig_tramp(sig, us, catcher, extra), which calls the user's catcher
 * and then resumes the thread from *us with sys_sigret.
 *
 * Entry points: sig_catch, sig_raise, sig_block, sig_unblock, sig_uniq,
 * sig_mu_lock, sig_mu_trylock, sig_mu_unlock, sys_setvec, sys_sigret,
 * exc_name.
 */
#include <stddef.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/mutex.h>
#include <module/signals.h>
#include <module/syscall.h>
#include "user_impl.h"

typedef void (*catcher_fn)(signum sig, thread_ustate *us, void *extra);

static volatile long sig_next = 0xFFFF;	/* sig_uniq: [2^16, 2^31), Amoeba's */

void
sys_setvec(sig_vector *vec, int n)
{
	(void)sys_newsys(SYS_SETVEC, (long)vec, n, 0, 0);
}

void
sys_sigret(thread_ustate *us)
{
	(void)sys_newsys(SYS_SIGRET, (long)us, 0, 0, 0);
}

/* Where the kernel enters a catcher; never returns. */
static void __attribute__((noreturn, used))
sig_tramp(signum sig, thread_ustate *us, catcher_fn catcher, void *extra)
{
	catcher(sig, us, extra);
	for (;;)
		sys_sigret(us);
}

errstat
sig_catch(signum sig, catcher_fn catcher, void *extra)
{
	struct vx_thread *t = vx_thread_cur();
	int i;

	if (sig == EXC_NONE)
		return STD_ARGBAD;
	for (i = 0; i < t->t_nsig && t->t_sigvec[i].sv_type != sig; i++)
		;
	if (catcher == NULL) {
		if (i < t->t_nsig)
			t->t_sigvec[i] = t->t_sigvec[--t->t_nsig];
	} else {
		if (i == VX_NSIGCATCH)
			return STD_NOSPACE;
		t->t_sigvec[i].sv_type = sig;
		t->t_sigvec[i].sv_pc = (long)sig_tramp;
		t->t_sigvec[i].sv_arg3 = (long)catcher;
		t->t_sigvec[i].sv_arg4 = (long)extra;
		if (i == t->t_nsig)
			t->t_nsig++;
	}
	sys_setvec(t->t_sigvec, t->t_nsig);
	return STD_OK;
}

void
sig_raise(signum sig)
{
	(void)sys_newsys(SYS_SIGRAISE, sig, 0, 0, 0);
}

void
sig_block(void)
{
	(void)sys_newsys(SYS_SIGBLOCK, 1, 0, 0, 0);
}

void
sig_unblock(void)
{
	(void)sys_newsys(SYS_SIGBLOCK, 0, 0, 0, 0);
}

signum
sig_uniq(void)
{
	return __atomic_add_fetch(&sig_next, 1, __ATOMIC_SEQ_CST);
}

void
sig_mu_lock(mutex *mu)
{
	sig_block();
	mu_lock(mu);
}

int
sig_mu_trylock(mutex *mu, interval ms)
{
	int r;

	sig_block();
	r = mu_trylock(mu, ms);
	if (r != 0)
		sig_unblock();
	return r;
}

void
sig_mu_unlock(mutex *mu)
{
	mu_unlock(mu);
	sig_unblock();
}

char *
exc_name(signum sig)
{
	static char *const names[] = {
		"none", "transaction signal", "illegal instruction",
		"misaligned reference", "non-existent memory", "breakpoint",
		"undefined instruction", "division by zero",
		"floating-point exception", "memory access violation",
		"bad system call", "illegal operand", "system-call emulation",
		"abort",
	};

	if (sig == SIG_TRANS)
		return names[1];
	if (sig <= 0 && sig >= EXC_LAST)
		return names[-sig];
	return "signal";
}
