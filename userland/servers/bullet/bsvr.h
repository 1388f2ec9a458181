/*
 * bsvr.h - private header of the Bullet server (userland/servers/bullet).
 *
 * Concurrency: every server thread takes bs.lock around the whole of a
 * request's work on the tables (disk I/O included); only getreq, putrep
 * and the remote reads of STD_COPY run without it.  The sweeper thread
 * takes it too.  Everything in struct bsvr and every struct bfile is
 * protected by bs.lock.
 */
#ifndef BSVR_H
#define BSVR_H

#include <amoeba.h>
#include <module/mutex.h>
#include <server/bullet/bs_disk.h>
#include <server/bullet/bullet.h>

enum { F_FREE = 0, F_UNCOMMITTED, F_COMMITTED };

struct bfile {
	uint8_t state;			/* F_FREE, F_UNCOMMITTED, F_COMMITTED */
	uint8_t lifetime;		/* committed: STD_AGE sweeps left */
	uint8_t idle;			/* uncommitted: sweeps without use */
	uint8_t dirty;			/* committed, not yet on disk */
	uint32_t size;			/* bytes */
	uint32_t dskaddr;		/* first block on disk, 0 if none */
	port random;			/* check port of its capabilities */
	char *data;			/* cached contents or NULL */
	uint32_t alloc;			/* bytes allocated at data */
	uint32_t lru;			/* use stamp for cache eviction */
	uint32_t cmp_inode;		/* compare mode: the original, or 0 */
	rights_bits cmp_rights;		/* rights of the create capability */
};

struct bsvr {
	mutex lock;
	capability vdisk;		/* the partition served */
	char diskname[32];
	struct bs_super sb;
	port getport, putport;		/* s_supercap.cap_port and F() of it */
	uint32_t blksize;
	uint8_t *itab;			/* the inode table as on disk */
	struct bfile *files;		/* s_numinodes entries */
	struct bs_map map;		/* blocks in use or reserved */
	uint64_t cache_used, cache_max;	/* bytes of cached data */
	uint32_t clock;			/* lru stamps */
	uint32_t sweep_ms;		/* BS_SWEEP_TIME unless set */
	uint32_t nfiles;		/* committed files */
	uint32_t stats[8];		/* creates, reads, commits, disk writes,
					   disk reads, evictions, timeouts,
					   aged */
};

extern struct bsvr bs;

/* store.c (caller must hold bs.lock) */
errstat bs_load(uint32_t ino);
errstat bs_cache_alloc(struct bfile *f, uint32_t bytes);
void bs_cache_drop(struct bfile *f);
errstat bs_write_file(uint32_t ino);
errstat bs_commit(uint32_t ino, int safety, uint32_t *result);
errstat bs_destroy(uint32_t ino);
int bs_new_inode(void);
errstat bs_flush_all(void);
errstat bs_write_inode(uint32_t ino);
int bs_fsck(int repair);
void bs_report(void *arg, uint32_t inode, const char *why, uint32_t other);
errstat bs_load_table(void);
void bs_sweep(void);

/* cmds.c */
uint32_t bs_handle(header *h, char *req, int32 reqlen, char *rep,
		   int32 repmax);

#endif /* BSVR_H */
