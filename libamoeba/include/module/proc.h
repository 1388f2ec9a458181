/*
 * module/proc.h - client stubs of the process server (Amoeba 5.3's
 * module/proc.h, as far as VX's process server supports it) and the
 * process calls of the system-call layer.
 *
 * pro_getdef: log2 of the page size and the first and last+1 user pages;
 * pro_getload: CPU speed (instructions a second), load (runnable threads
 * times 1024) and free memory; pro_stun: stop the process with a status
 * (its owner gets the checkpoint); pro_getowner/pro_setowner: the owner
 * capability; pro_swapproc: not served by VX (STD_COMBAD from the server);
 * pro_signal (VX): a signal to a process on any node (PS_SIGNAL; one
 * that no thread catches stuns it with the signal as detail).
 *
 * The exec library (spec 8.3, 8.4), as Amoeba's:
 *   pro_exec   PS_EXEC of the descriptor pd on host; *retcap = the
 *              process capability
 *   exec_file  start the executable prog (a Bullet file holding an
 *              Amoeba executable: PD, text, data) on host: read its PD,
 *              build the initial stack (argv, envp, capv; buildstack) in
 *              a segment made on host (PS_SEG_CREATE, PS_SEG_WRITE),
 *              point the PD's stack segment at it (MAP_AND_DESTROY) and
 *              its file-backed segments at prog, set the owner (may be
 *              NULL) and pro_exec; stacksize 0 = the PD's.  The host
 *              reads text and data from prog's file server itself.
 * module/run.h has the rest: nodes, PATH, owners, waiting.
 *
 * pro_list (VX, PS_LIST): the live processes of host, at most max into
 * out; returns the count or a negative errstat.  pro_list is not
 * reentrant (one static reply buffer).
 *
 * pro_serves (VX, PS_SERVES): STD_OK when a server for put-port pub
 * runs on host's node, STD_NOTFOUND when none does, or the error.
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
/* pro_signal (VX, PS_SIGNAL): raise sig in the process proc names. */
errstat pro_signal(capability *proc, long sig);

struct pd_info;
struct caplist;
typedef struct pd_info process_d;
errstat pro_exec(capability *host, process_d *pd, capability *retcap);
/* One process of pro_list. */
struct ps_info {
	int pi_pid;
	int pi_state;			/* PSL_RUNNING, PSL_DYING */
	int pi_kib;			/* memory mapped, KiB */
	int pi_threads;
	int pi_flags;			/* PSL_OWNED */
	char pi_name[PS_NAMELEN];	/* program name */
	capability pi_cap;		/* its capability */
};
int pro_list(capability *host, struct ps_info *out, int max);
errstat pro_serves(capability *host, const port *pub);

errstat exec_file(capability *prog, capability *host, capability *owner,
		  long stacksize, char **argv, char **envp,
		  struct caplist *capv, capability *retcap);

#endif /* MODULE_PROC_H */
