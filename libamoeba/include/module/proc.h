/*
 * module/proc.h - client stubs of the process server (Amoeba 5.3's
 * module/proc.h, as far as VX's process server supports it) and the
 * process calls of the system-call layer.
 *
 * pro_getdef: log2 of the page size and the first and last+1 user pages;
 * pro_getload: CPU speed (instructions a second), load (runnable threads
 * times 1024) and free memory; pro_stun: stop the process with a status
 * (its owner gets the checkpoint); pro_getowner/pro_setowner: the owner
 * capability; pro_swapproc: not served by VX (STD_COMBAD from the server).
 * The process descriptors of pro_exec (process_d) come with the exec
 * library of the system issue; until then PS_EXEC is reached through
 * the process server's own protocol (see kernel/svr/psvr.c).
 */
#ifndef MODULE_PROC_H
#define MODULE_PROC_H

#include <amoeba.h>
#include <server/process/proc.h>

errstat pro_getdef(capability *host, int *log2pagesize, int *first,
		   int *last);
errstat pro_getload(capability *host, long *ips, long *loadav, long *mfree);
errstat pro_getowner(capability *proc, capability *owner);
errstat pro_setowner(capability *proc, capability *owner);
errstat pro_stun(capability *proc, long detail);
errstat pro_swapproc(capability *host, capability *oldproc,
		     capability *newproc);

#endif /* MODULE_PROC_H */
