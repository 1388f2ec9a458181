/*
 * ksvr.h - kernel servers: threads that serve a port by RPC.
 *
 * ksvr_start gives a server fresh random ports and check secret (unless
 * preset) and starts its threads; kdir_serve does that and lists the
 * server in the node's kernel directory under its name.  Each thread
 * loops getreq -> handler -> putrep.  STD_INFO, STD_STATUS and
 * STD_RESTRICT on the server's own capability (object 0) are answered
 * here; everything else goes to the handler.
 */
#ifndef KERNEL_SVR_KSVR_H
#define KERNEL_SVR_KSVR_H

#include <stdint.h>

#include <amoeba.h>

#define KSVR_REQMAX (32u * 1024)   /* request body buffer per thread */
#define KSVR_REPMAX (32u * 1024)   /* reply body buffer per thread */

struct ksvr;

/* A request: the header (reply header on return), bodies and sizes. */
struct ksvr_req {
	header *h;            /* in: request; out: reply header */
	const uint8_t *req;   /* request body */
	uint32_t reqlen;      /* its length */
	uint8_t *rep;         /* reply body buffer */
	uint32_t repmax;      /* its size */
};

struct ksvr {
	const char *name;     /* kernel directory entry */
	const char *info;     /* std_info of the server capability */
	int nthreads;         /* serving threads */
	/* handle: set h_status; returns the reply body length. */
	uint32_t (*handle)(struct ksvr *s, struct ksvr_req *r);
	/* status: std_status text into buf; returns its length. */
	uint32_t (*status)(struct ksvr *s, char *buf, uint32_t max);
	port getport;         /* (set by ksvr_start) */
	port putport;
	port random;          /* check secret of the server capability */
	uint32_t served;      /* requests handled */
};

void ksvr_start(struct ksvr *s);
/* ksvr_cap: the server capability (object 0) with the given rights. */
void ksvr_cap(const struct ksvr *s, rights_bits rights, capability *cap);
/* ksvr_check: validate the server capability in h; rights in *r. */
errstat ksvr_check(const struct ksvr *s, const header *h, rights_bits *r);

/* The node's kernel directory (kdir.c). */
void kdir_init(const char *node);
/* kdir_add: list cap under name (a server's objects: vdisk:hd0 ...). */
void kdir_add(const char *name, const capability *cap);
/* kdir_serve: ksvr_start(s) and list its capability under s->name. */
void kdir_serve(struct ksvr *s);

/* The kernel servers. */
void psvr_init(void);
struct proc;
/* psckpt_init (psckpt.c): exit checkpoints to owners; called by psvr_init. */
void psckpt_init(void);
/*
 * psckpt_stun: PS_STUN of p (spec 8.6): freeze it and send its owner the
 * checkpoint (kill it if it has none).  psckpt_getinfo: the checkpoint PD
 * of a stopped p into buf; its size or a negative errstat.
 */
errstat psckpt_stun(struct proc *p, int32 detail);
int psckpt_getinfo(struct proc *p, uint8_t *buf, size_t len);
void syssvr_init(void);
/* unicsvr_init (unicsvr.c): with usernic=, the proxy network, its server
 * and the driver process's watchdog; after bootimg_init. */
void unicsvr_init(void);
/*
 * Device grants (devsvr.c), served by the sys server: devsvr_request
 * makes one (SYS_DEV_PORTS ...; rights are the caller's on the sys
 * capability), devsvr_object serves a grant's own capability,
 * devsvr_status appends the grants and user lines and devices to std_status.
 */
void devsvr_init(const struct ksvr *sys);
uint32_t devsvr_request(struct ksvr_req *r, rights_bits rights);
uint32_t devsvr_object(struct ksvr_req *r);
uint32_t devsvr_held(struct ksvr_req *r);
uint32_t devsvr_status(char *buf, uint32_t max);
void rndsvr_init(void);
void todsvr_init(void);
void ttysvr_init(void);
void vdisk_init(void);
void vdisk_cap(int i, capability *cap);
void ttysvr_cap(capability *cap);
struct cap_env;
/* ttysvr_capenv: fill 4 entries (STDIN STDOUT STDERR TTY); returns 4. */
#define TTYSVR_NCAPENV 4
int ttysvr_capenv(struct cap_env *caps);

#endif /* KERNEL_SVR_KSVR_H */
