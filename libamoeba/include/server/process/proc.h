/*
 * server/process/proc.h - the kernel process (and segment) server's
 * commands and rights (spec 8.5).  Process and segment capabilities have
 * object number (type << 16) | slot, type 'P' or 'S'; the server's own
 * capability has object 0.
 */
#ifndef SERVER_PROCESS_PROC_H
#define SERVER_PROCESS_PROC_H

#include <cmdreg.h>

#define PS_STUN		(PS_FIRST_COM + 0)
#define PS_GETOWNER	(PS_FIRST_COM + 1)
#define PS_SETOWNER	(PS_FIRST_COM + 2)
#define PS_EXEC		(PS_FIRST_COM + 3)
#define PS_GETDEF	(PS_FIRST_COM + 4)
#define PS_GETLOAD	(PS_FIRST_COM + 5)
#define PS_SEG_CREATE	(PS_FIRST_COM + 6)
#define PS_SEG_WRITE	(PS_FIRST_COM + 7)
#define PS_CHECKPOINT	(PS_FIRST_COM + 8)
#define PS_SETCOMMENT	(PS_FIRST_COM + 9)
#define PS_GETCOMMENT	(PS_FIRST_COM + 10)
#define PS_SWAPPROC	(PS_FIRST_COM + 11)
#define PS_SGETLOAD	(PS_FIRST_COM + 12)

/*
 * PS_LIST (VX): the server capability (any rights) -> one ps_entry per
 * live process in the body (h_size bytes), each with its process
 * capability restricted to the rights of the server capability given.
 * Wire form of an entry, little-endian, PS_ENTRYSIZE bytes: pid i32,
 * state i32 (PSL_RUNNING, PSL_DYING), memory in KiB i32, threads i32,
 * flags i32 (PSL_OWNED: it has an owner), name[PS_NAMELEN] (NUL
 * padded), capability (16).  pro_list (module/proc.h) decodes it.
 */
#define PS_LIST		(VX_FIRST_COM + 300)
/*
 * PS_SIGNAL (VX): a process capability with PSR_KILL, h_offset = the
 * signal (> 0; Amoeba's numbers, module/signals.h).  Every thread of the
 * process with a catcher for it gets it, as from sig_raise (a getreq or
 * sleep it blocks in ends); if no thread catches it, the process is
 * stunned with the signal as detail, Amoeba's default (libajax's kill
 * does the same): its owner gets the checkpoint, or without an owner it
 * ends with that status.  STD_ARGBAD for a signal <= 0.
 */
#define PS_SIGNAL	(VX_FIRST_COM + 301)
#define PS_NAMELEN	32
#define PS_ENTRYSIZE	(20 + PS_NAMELEN + 16)
#define PSL_RUNNING	0
#define PSL_DYING	1
#define PSL_OWNED	0x1

/*
 * PS_SERVES (VX): the server capability (any rights), the body a
 * put-port (PORTSIZE bytes) -> STD_OK when a thread of this node
 * listens on that port (or serves a request sent to it), STD_NOTFOUND
 * when none does.  pro_serves (module/proc.h) is its stub; run_near
 * (module/run.h) asks each node to find where an object's server runs.
 */
#define PS_SERVES	(VX_FIRST_COM + 310)

#define PSR_READ	0x01
#define PSR_WRITE	0x02
#define PSR_CREATE	0x04
#define PSR_DELETE	0x08
#define PSR_EXEC	0x10
#define PSR_KILL	0x20
#define PSR_ALL		0xFF

#define PSVR_BUFSZ	8192	/* largest PS_SEG_WRITE / PD body */
#define PSVR_LISTMAX	(64 * PS_ENTRYSIZE)	/* largest PS_LIST reply */

typedef long segid;		/* a mapped segment's number (seg_map) */
#define PROCESS_SVR_NAME "proc"

/* Segments answer the Bullet read protocol. */
#define BS_READ		(BULLET_FIRST_COM + 6)
#define BS_SIZE		(BULLET_FIRST_COM + 7)

#endif /* SERVER_PROCESS_PROC_H */
