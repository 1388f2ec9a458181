/*
 * module/run.h - running programs on any node (the system issue's
 * exec library beyond Amoeba's exec_file, used by ax, the shell and the
 * boot server).  User programs only (libamoeba/user/run*.c).
 *
 * Nodes.  Every node registers its kernel directory at boot as
 * /hosts/NODE in the network's directory server (fsboot.c), so the set
 * of nodes is a directory listing, as Amoeba's /super/hosts.
 *
 *   run_host        the process server ("proc" in the kernel directory)
 *                   of node; NULL = this node ($VX_NODE)
 *   run_nodes       the names under /hosts, sorted; returns the count
 *                   (at most max) or a negative errstat
 *   run_pickhost    the least loaded node that answers PS_GETLOAD
 *                   (free memory and runnable threads), its name and
 *                   process server
 *   run_near        the node where the server of object obj runs (the
 *                   one whose process server says, PS_SERVES, that a
 *                   thread there listens on obj's port), its name and
 *                   process server; STD_NOTFOUND when no node of
 *                   /hosts has it (the server is down, or on a machine
 *                   that is not a node, such as a Linux host)
 *   run_findprog    a program name to the Bullet file it names: a name
 *                   with a '/' is a path (absolute from ROOT, relative
 *                   from WORK); otherwise each directory of path (":"-
 *                   separated, NULL = $PATH, else "/bin") in turn.
 *                   STD_NOTFOUND when none has it; where (may be NULL)
 *                   gets the path found
 *
 * Owners.  A process started with an owner capability reports its end
 * to that owner (PS_CHECKPOINT, spec 8.5: h_extra = cause, h_offset =
 * detail).  run_owner serves an owner port in a thread of the caller
 * and keeps the ends it was told of until collected:
 *
 *   run_owner_new   start an owner; *cap is the capability to give
 *                   exec_file as owner (run_owner_cap gives it again)
 *   run_wait        wait (at most ms; -1 = no limit) until the process
 *                   proc has ended; *how is RUN_EXITED, RUN_KILLED
 *                   (stunned) or RUN_FAULTED, *status its exit status,
 *                   stun detail or exception number.  RPC_FAILURE or
 *                   STD_NOTFOUND when the process is gone and no
 *                   checkpoint came (its node went down)
 *                   STD_NOMOREDATA when ms passed and it still runs
 *   run_poll        the same without waiting: STD_OK with the end,
 *                   STD_NOMOREDATA while it runs (one std_info; when
 *                   the process is gone it waits up to 2 s for a
 *                   checkpoint still in flight)
 *   run_any         wait (at most ms; -1 = no limit) for any process of
 *                   this owner that has ended and was not collected:
 *                   its capability, how, status; STD_NOMOREDATA when
 *                   none did in time
 *
 * The capability environment to give a program started for the caller:
 *
 *   run_capv        on VX the caller's own (vx_capv: its STDIN, STDOUT,
 *                   STDERR, ROOT, WORK ...); on Linux (libamunix) the
 *                   STDIN, STDOUT and STDERR of a terminal server that
 *                   the first call starts in the caller, serving its
 *                   descriptors 0, 1 and 2 (host/term.c), plus ROOT and
 *                   WORK when $ROOT and $WORK hold capabilities
 *
 * Moving the caller (VX only: it needs getinfo):
 *
 *   migrate_self    move the calling process, all its threads, to node:
 *                   starts the migrate program (found on $PATH) on this
 *                   node with this process's capability and waits for
 *                   it; on STD_OK the caller runs on node when the call
 *                   returns (and $VX_NODE says so).  Its ports, and the
 *                   capabilities of its standard input and output (the
 *                   user's terminal), go along.  STD_NOTFOUND when no
 *                   migrate program is found; RPC_FAILURE when the move
 *                   failed (node unknown, down or dead in the middle:
 *                   the caller goes on where it was, and migrate has
 *                   said why on the caller's standard error)
 *
 * One call for the common case:
 *
 *   run_prog        find name (run_findprog), exec_file it on host (NULL
 *                   = this node) with argv, envp (NULL = environ) and
 *                   capv (NULL = run_capv()), owned by o;
 *                   *proc gets the process capability
 */
#ifndef MODULE_RUN_H
#define MODULE_RUN_H

#include <stddef.h>
#include <amoeba.h>
#include <caplist.h>

#define RUN_EXITED	0	/* normal exit: status = exit status */
#define RUN_KILLED	1	/* stunned or killed: status = detail */
#define RUN_FAULTED	2	/* exception: status = exception number */

#define RUN_NODEMAX	32	/* longest node name + 1 */

struct run_owner;

errstat run_host(const char *node, capability *host);
int run_nodes(char (*names)[RUN_NODEMAX], int max);
errstat run_pickhost(char *node, size_t len, capability *host);
errstat run_near(const capability *obj, char *node, size_t len,
		 capability *host);
errstat run_findprog(const char *name, const char *path, capability *prog,
		     char *where, size_t len);

errstat run_owner_new(struct run_owner **o, capability *cap);
void run_owner_cap(struct run_owner *o, capability *cap);
errstat run_wait(struct run_owner *o, const capability *proc, int *how,
		 int *status, interval ms);
errstat run_poll(struct run_owner *o, const capability *proc, int *how,
		 int *status);
errstat run_any(struct run_owner *o, capability *proc, int *how,
		int *status, interval ms);

struct caplist *run_capv(void);

errstat run_prog(const char *name, capability *host, struct run_owner *o,
		 char **argv, char **envp, struct caplist *capv,
		 capability *proc);

errstat migrate_self(const char *node);

#endif /* MODULE_RUN_H */
