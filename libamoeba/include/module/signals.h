/*
 * module/signals.h - catching and raising signals (Amoeba 5.3).
 *
 * sig_catch(sig, catcher, extra) makes the calling thread run
 * catcher(sig, us, extra) when sig arrives for it (catcher NULL: stop
 * catching); us holds the thread's registers, and the thread resumes from
 * them when the catcher returns.  Exceptions (EXC_*) go to the thread
 * that caused them; one that is not caught ends the process with its
 * fault report.  sig_raise(sig) raises it in every thread of the process
 * that catches it (threads without a catcher are unaffected, as in
 * Amoeba): such a thread blocked in trans stops waiting with
 * RPC_ABORTED when it was locating, otherwise the server thread serving
 * its request gets SIG_TRANS; one in getreq gets RPC_ABORTED.  A
 * negative sig raises a user-generated exception the same way.  Signals
 * nobody catches are dropped.  sig_block/sig_unblock hold delivery of
 * signals (not exceptions) back in the calling thread; sig_uniq gives a
 * fresh number in [2^16, 2^31).  A signal from another process or node:
 * pro_signal (module/proc.h).
 */
#ifndef MODULE_SIGNALS_H
#define MODULE_SIGNALS_H

#include <amoeba.h>
#include <exception.h>
#include <fault.h>

signum sig_uniq(void);
void sig_block(void);
void sig_unblock(void);
void sig_raise(signum sig);
errstat sig_catch(signum sig,
		  void (*catcher)(signum sig, thread_ustate *us, void *extra),
		  void *extra);
void sig_mu_lock(mutex *mu);
int sig_mu_trylock(mutex *mu, interval ms);
void sig_mu_unlock(mutex *mu);

/* The system calls under them. */
void sys_sigret(thread_ustate *us);
void sys_setvec(sig_vector *vec, int n);

#endif /* MODULE_SIGNALS_H */
