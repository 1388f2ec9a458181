/*
 * module/lipc.h - local IPC with shared segments: request/reply between
 * threads of one node in the shape of trans/getreq/putrep, on the same
 * ports, where the data stays in the client's memory.
 *
 * The client passes its request and reply buffers; for the time of the
 * call the kernel maps the pages holding them into the server's address
 * space (a kernel-thread server reaches them directly) and unmaps them
 * at lipc_putrep.  Nothing is copied but the two headers.  The request
 * buffer is mapped read-only, the reply buffer writable; one buffer
 * passed as both (rbuf == pbuf) is mapped once, writable, so a server
 * can work on it in place.  Each buffer must lie inside one segment of
 * the client (not across two): the server sees the whole pages holding
 * it, so a client that shares nothing else aligns its buffers to pages.
 *
 * The same calls work in kernel threads (kernel/lipc.c), so a driver's
 * server loop builds for the kernel or as a user process.
 *
 * Errors: RPC_BADPORT (null port), RPC_BADADDRESS (a buffer that is not
 * mapped in one segment of the caller, or a reply buffer that is not
 * writable), STD_OVERFLOW (a buffer over LIPC_MAXDATA), RPC_NOTFOUND (no
 * thread of this node serves the port: a local IPC cannot cross nodes;
 * use trans), RPC_FAILURE (the server ended during the call, or, for
 * lipc_putrep, the client did), RPC_ABORTED (a signal while waiting for
 * a server or a request).
 */
#ifndef MODULE_LIPC_H
#define MODULE_LIPC_H

#include <stdint.h>

#include <amoeba.h>

#define LIPC_MAXDATA	(4u << 20)	/* largest buffer, each way */

/* What lipc_getreq gives the server: the client's buffers, mapped. */
struct lipc_req {
	void *req;		/* request data (read-only unless inplace) */
	uint32_t reqlen;	/* its length */
	void *rep;		/* reply buffer (writable) */
	uint32_t replen;	/* its size: lipc_putrep's n at most */
	int32_t inplace;	/* 1: req and rep are one buffer */
};

/*
 * lipc_trans: send req with rn bytes at rbuf to the server of
 * req->h_port on this node, wait for its reply header (in *rep) and
 * the bytes it wrote into pbuf; returns that count or an error.
 */
int32_t lipc_trans(header *req, const void *rbuf, uint32_t rn, header *rep,
		   void *pbuf, uint32_t pn);
/*
 * lipc_getreq: wait for a request on get-port h->h_port; fills *h (its
 * h_port becomes the put-port) and *r; returns the request length.
 */
int32_t lipc_getreq(header *h, struct lipc_req *r);
/* lipc_putrep: reply with h and the n bytes written into r->rep. */
errstat lipc_putrep(header *h, uint32_t n);
/*
 * lipc_replyget: lipc_putrep(rep, n) and then lipc_getreq(h, r) in one
 * call (a server loop's step: one system call less per request).  A
 * failed reply still waits for the next request; its error is lost.
 */
int32_t lipc_replyget(header *rep, uint32_t n, header *h, struct lipc_req *r);
/*
 * Streaming: lipc_keep, while serving, keeps the current request's
 * buffers mapped after lipc_putrep and returns a handle (>= 0).
 * lipc_kept gives the kept mapping (same addresses as at getreq) or
 * RPC_FAILURE once the client has ended; lipc_release unmaps it.  Kept
 * mappings also go when the server's or the client's process ends.
 */
int32_t lipc_keep(void);
errstat lipc_kept(int32_t handle, struct lipc_req *r);
errstat lipc_release(int32_t handle);

/* The system call's argument block for lipc_trans (SYS_LIPC_TRANS). */
struct vx_lipc_trans {
	uint32_t req;		/* header * */
	uint32_t rbuf;
	uint32_t rn;
	uint32_t rep;		/* header * */
	uint32_t pbuf;
	uint32_t pn;
};

#endif /* MODULE_LIPC_H */
