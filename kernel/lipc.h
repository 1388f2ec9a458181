/*
 * lipc.h - local IPC with shared segments (module/lipc.h is the API; the
 * kernel implements it for kernel threads in lipc.c and for user threads
 * through the system calls in lipc_syscall.c).
 *
 * A client buffer reaches the core as a struct lipc_buf: a physically
 * contiguous run (a user buffer lies in one segment, a kernel buffer in
 * the identity map), pinned (seg_pin) while a call or a mapping uses it.
 * Concurrency: kernel threads only; the kernel is non-preemptive and no
 * interrupt handler touches local IPC, so the tables need no lock.
 */
#ifndef KERNEL_LIPC_H
#define KERNEL_LIPC_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>
#include <module/lipc.h>

struct segment;

/* A client buffer in physical terms. */
struct lipc_buf {
	uint32_t pa;            /* physical start (0 when len is 0) */
	uint32_t len;           /* bytes */
	bool rw;                /* the server may write it */
	struct segment *seg;    /* the client's segment (NULL: kernel memory) */
};

/* Where the user server's windows lie: 32 slots of 16 MiB. */
#define LIPC_WIN_BASE	0x80000000u
#define LIPC_WIN_SLOT	(16u << 20)
#define LIPC_NWIN	32

/* The core calls; rb/pb are pinned by the caller for the call. */
int32_t lipc_do_trans(const header *req, const struct lipc_buf *rb,
		      const struct lipc_buf *pb, bool same, header *rep);
int32_t lipc_do_getreq(header *h, struct lipc_req *r);
errstat lipc_do_putrep(const header *h, uint32_t n);

/* lipc_pin / lipc_unpin: hold b's segment (no move, no free). */
void lipc_pin(const struct lipc_buf *b);
void lipc_unpin(const struct lipc_buf *b);

/*
 * lipc_direct: calls to F(getport) run fn(arg, h, r) in the client's own
 * thread (in the kernel, on its kernel stack), with h the request header
 * (h_port the put-port) and r the client's buffers through the identity
 * map; fn sets h's reply fields and returns the reply length (at most
 * r->replen) or an error for lipc_trans.  fn may sleep (briefly: the
 * client waits in it).  For kernel servers on the hot path of a
 * user-space driver (kernel/svr/unicsvr.c).  STD_OK, STD_ARGBAD, or
 * STD_NOSPACE (LIPC_NDIRECT servers already).
 */
typedef int32_t (*lipc_direct_fn)(void *arg, header *h,
				  const struct lipc_req *r);
errstat lipc_direct(const port *getport, lipc_direct_fn fn, void *arg);

/* lipc_init: register the system calls (SYS_LIPC_*, lipc_syscall.c)
 * with the core; from the boot flow. */
void lipc_init(void);

/* Counters (the sys server's status, tests). */
struct lipc_stats {
	uint32_t calls;         /* completed lipc_trans */
	uint32_t mapped_pages;  /* pages mapped into servers */
	uint32_t direct;        /* of the calls, served by lipc_direct */
};
extern struct lipc_stats lipc_stats;

#endif /* KERNEL_LIPC_H */
