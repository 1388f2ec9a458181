/*
 * sps.h - the SOAP directory server's portable core (spec 7), shared by
 * the VX program (main.c) and the host tests and fuzzers:
 *
 *   sps_dir.c    directories in memory and their file format
 *   sps_super.c  the super file on a vdisk partition: directory table
 *                and the intention record (roll forward at start)
 *   sps_req.c    request decoding and the SP_* / STD_* commands
 *
 * The core reaches Bullet, the vdisk, the clock and std_restrict only
 * through struct sps_io.  It is single-threaded: the caller serialises
 * calls on one struct sps (main.c: one mutex for the request loop and
 * the thread that touches the directory files, sps_touch_all).
 *
 * Directory file (one committed Bullet file per directory; integers
 * little-endian as in spec 1.5):
 *   u32 SPS_DIRMAGIC, u16 ncols (1..4), u16 nrows (0..SPS_MAXROWS),
 *   ncols x str column name,
 *   nrows x { str name, capset, ncols x i32 mask, cap type, u32 time },
 *   u32 FNV-1a of every byte before it.
 *
 * Super file (512-byte blocks of the partition, little-endian):
 *   blocks 0 and 1: two copies of the header, written alternately; the
 *     valid one (magic, checksum) with the higher generation counts:
 *       0 u32 SPS_SUPMAGIC   4 u32 version (1)   8 u32 generation
 *      12 u32 nslots        16 u32 seq low      20 u32 seq high
 *      24 u32 intent (0 none, 1 set slot)       28 u32 intent slot
 *      32 32-byte slot entry (the new value)    64 cap: old file
 *     508 u32 FNV-1a of bytes 0..507
 *   blocks 2..: the slot table, 16 entries of 32 bytes per block:
 *       0 u8 in use   1 u8 0   2 port random (check of the directory)
 *       8 cap of the directory's Bullet file    24 8 bytes 0
 * An update writes the new directory file (committed, BS_SAFETY), then
 * the header with the intention (the commit point), flushes the disk's
 * write cache (so the commit is on the medium before the reply and
 * before anything that depends on it), then the slot's block, flushed
 * too (the next header, which drops this intention, cannot overtake
 * it), then destroys the old file.  At start the intention of the
 * valid header is applied again (it is idempotent), so a crash leaves
 * the old directory (header not written) or the new one.
 */
#ifndef USERLAND_SERVERS_SOAP_SPS_H
#define USERLAND_SERVERS_SOAP_SPS_H

#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>
#include <capset.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>

#define SPS_BLKSIZE	512
#define SPS_MAXROWS	4000		/* rows of one directory */
#define SPS_MAXSLOTS	4096		/* directories of one server */
#define SPS_MAXFILE	(1024 * 1024)	/* largest directory file */
#define SPS_DIRMAGIC	0x31445053u	/* "SPD1" */
#define SPS_SUPMAGIC	0x50414F53u	/* "SOAP" */
#define SPS_SLOTSIZE	32
#define SPS_SLOTS_PER_BLK (SPS_BLKSIZE / SPS_SLOTSIZE)
#define SPS_TABLE_BLK	2		/* first block of the slot table */
#define SPS_NDONE	256		/* updates remembered by signature */
#define SPS_SNAPMAGIC	0x31525053u	/* "SPR1": a state snapshot */
#define SPS_UPDMAGIC	0x31555053u	/* "SPU1": an ordered update */

/* What the core needs from the system. */
struct sps_io {
	void *ctx;
	/* a committed Bullet file (written to disk before the reply) */
	errstat (*file_create)(void *ctx, const char *buf, size_t n,
			       capability *file);
	/* the whole file, in a malloc'ed buffer */
	errstat (*file_read)(void *ctx, const capability *file, char **buf,
			     size_t *n);
	errstat (*file_destroy)(void *ctx, const capability *file);
	/* STD_TOUCH: keep the file from Bullet's STD_AGE */
	errstat (*file_touch)(void *ctx, const capability *file);
	/* 512-byte blocks of the super-file partition */
	errstat (*disk_read)(void *ctx, uint32_t blk, char *buf);
	errstat (*disk_write)(void *ctx, uint32_t blk, const char *buf);
	/* what was written is on the medium (NULL: the disk has no cache) */
	errstat (*disk_sync)(void *ctx);
	uint32_t disk_blocks;
	/* std_restrict of a capability of another server */
	errstat (*restrict_cap)(void *ctx, const capability *in,
				rights_bits mask, capability *out);
	uint32_t (*now)(void *ctx);		/* seconds */
	void (*random)(void *ctx, port *p);	/* a new secret */
};

/* A capset held in a row: at most MAXCAPSET members, no allocation. */
struct sps_capset {
	int16 initial;
	int16 final;
	suite s[MAXCAPSET];
};

struct sps_row {
	char *name;				/* malloc'ed */
	struct sps_capset cs;			/* the object(s) */
	rights_bits mask[SP_MAXCOLUMNS];	/* rights per column */
	capability type;			/* type capability (zero) */
	uint32_t time;				/* last change, seconds */
};

struct sps_dir {
	int ncols;				/* 1..SP_MAXCOLUMNS */
	char *colname[SP_MAXCOLUMNS];		/* malloc'ed */
	int nrows;
	int maxrows;				/* allocated rows */
	struct sps_row *rows;
};

struct sps_slot {
	uint8_t inuse;
	port random;				/* check of the directory */
	capability file;			/* its Bullet file */
	struct sps_dir *dir;			/* loaded contents or NULL */
};

struct sps {
	const struct sps_io *io;
	port getport, putport;			/* served port */
	char name[32];				/* server name */
	uint32_t nslots;
	struct sps_slot *slots;
	uint32_t gen;				/* header generation */
	uint32_t seq[2];			/* update sequence number */
	struct sps_dir pub;			/* the public directory */
	int pub_ok;
	/* updates already applied, by signature (sps_rep.c; a ring, the
	 * oldest overwritten first) */
	struct sps_done {
		port sig;			/* the request's h_signature */
		command cmd;			/* its command */
		header rep;			/* the reply header it got */
	} done[SPS_NDONE];
	uint32_t ndone;				/* entries ever added */
};

/* sps_dir.c */
int sps_name_ok(const char *name);
void sps_dir_free(struct sps_dir *d);
struct sps_dir *sps_dir_new(int ncols, char *const names[]);
struct sps_dir *sps_dir_copy(const struct sps_dir *d);
int sps_dir_find(const struct sps_dir *d, const char *name);
errstat sps_dir_add(struct sps_dir *d, const char *name,
		    const struct sps_capset *cs, const rights_bits *mask,
		    int nmask, uint32_t time);
void sps_dir_remove(struct sps_dir *d, int row);
errstat sps_dir_encode(const struct sps_dir *d, char **buf, size_t *n);
errstat sps_dir_decode(const char *buf, size_t n, struct sps_dir **out);
char *sps_get_capset(char *p, char *end, struct sps_capset *cs);
char *sps_put_capset(char *p, char *end, const struct sps_capset *cs);
uint32_t sps_fnv(const void *buf, size_t n);

/* sps_super.c */
errstat sps_start(struct sps *s, const struct sps_io *io, const char *name,
		  int format);
void sps_stop(struct sps *s);
struct sps_dir *sps_load(struct sps *s, uint32_t slot);
errstat sps_commit(struct sps *s, uint32_t slot, struct sps_dir *d);
errstat sps_newdir(struct sps *s, struct sps_dir *d, uint32_t *slot);
errstat sps_discard(struct sps *s, uint32_t slot);
errstat sps_setslot(struct sps *s, uint32_t slot, struct sps_dir *d,
		    const port *random);
errstat sps_super_parse(const char *blk, uint32_t *gen, uint32_t *nslots);
int sps_touch_all(struct sps *s);

/* sps_req.c: one request; returns the reply length, sets h_status. */
size_t sps_request(struct sps *s, header *h, char *req, size_t reqlen,
		   char *rep, size_t repmax);
errstat sps_capof(struct sps *s, uint32_t slot, rights_bits rights,
		  capability *cap);

/* sps_rep.c: the portable part of the replicated server (rep.c). */
struct sps_upd {
	uint32_t time;				/* the clock of the update */
	port random;				/* its one new secret */
	header h;				/* the client's request header */
	char *body;				/* its body (points into buf) */
	size_t len;
};
int sps_is_update(command cmd);
errstat sps_upd_encode(const struct sps_upd *u, char *buf, size_t max,
		       size_t *n);
errstat sps_upd_decode(char *buf, size_t n, struct sps_upd *u);
int sps_done_find(const struct sps *s, const port *sig, command cmd,
		  header *rep);
size_t sps_apply(struct sps *s, header *h, char *req, size_t reqlen,
		 char *rep, size_t repmax);
errstat sps_snap_encode(struct sps *s, char **buf, size_t *n);
errstat sps_snap_install(struct sps *s, const char *buf, size_t n);
errstat sps_state_hash(struct sps *s, uint32_t *hash, uint32_t *ndirs);

#endif /* USERLAND_SERVERS_SOAP_SPS_H */
