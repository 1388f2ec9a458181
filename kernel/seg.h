/*
 * seg.h - segments: runs of physically contiguous pages, each named by a
 * capability at the segment server, mapped into processes.
 *
 * A segment lives while it has a reference: each mapping holds one, and
 * at most one more is held for its capability (capref), from PS_SEG_CREATE
 * or the first unmap to a capability until std_destroy or the end of the
 * process that unmapped it (creator).
 * Concurrency: kernel threads only (no interrupt-level use); the segment
 * table is protected by disabling interrupts around slot changes.
 */
#ifndef KERNEL_SEG_H
#define KERNEL_SEG_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>

#define NSEG 512
#define SEG_MAXLEN (256u << 20)

struct proc;

struct segment {
	int id;             /* slot number = object number (with type 'S') */
	bool used;          /* slot taken */
	uint32_t pa;        /* physical start (page aligned) */
	uint32_t npages;    /* pages allocated */
	uint32_t len;       /* length in bytes */
	int refs;           /* mappings + capability holder */
	int mapcount;       /* how many process mappings */
	bool capref;        /* one reference is held for its capability */
	struct proc *creator; /* drops that reference when it ends */
	int pins;           /* local IPC users (kernel/lipc.c): no move */
	port random;        /* check-field secret */
};

/* seg_create: a zeroed segment of len bytes, one reference. */
struct segment *seg_create(uint32_t len);
/* seg_grow: change the length (grow or shrink); remaps where mapped. */
errstat seg_grow(struct segment *s, uint32_t newlen);
void seg_ref(struct segment *s);
/* seg_unref: drop a reference; the last one frees the pages. */
void seg_unref(struct segment *s);
/* seg_write/seg_read: copy to or from the segment, bounds checked. */
errstat seg_write(struct segment *s, uint32_t off, const void *buf,
		  uint32_t n);
errstat seg_read(struct segment *s, uint32_t off, void *buf, uint32_t n);
/* seg_cap: the capability of s at the segment server. */
void seg_cap(struct segment *s, rights_bits rights, capability *cap);
/* seg_lookup: the segment named by cap, with the rights it grants. */
struct segment *seg_lookup(const capability *cap, rights_bits *rights,
			   errstat *err);
int seg_count(void);
/*
 * seg_keep: s lives on as a capability (at most one reference for it);
 * creator, if not NULL and the first to keep it, drops it when it ends.
 */
void seg_keep(struct segment *s, struct proc *creator);
/* seg_destroy: drop the capability reference (std_destroy). */
errstat seg_destroy(struct segment *s);
/* seg_release_creator: drop the capability references p holds. */
void seg_release_creator(struct proc *p);
void seg_init(void);

/*
 * The owner of the address spaces (kernel/proc.c) keeps every mapping of
 * a segment in step with it: reserve makes the page tables that mappings
 * of s need at newlen (before seg_grow commits, so that moved cannot
 * fail); moved redoes the mappings after s moved or changed length.
 */
struct seg_mapper {
	errstat (*reserve)(const struct segment *s, uint32_t newlen);
	void (*moved)(struct segment *s, uint32_t old_len);
};
void seg_set_mapper(const struct seg_mapper *m);
/* The segment server's put-port (same server as processes). */
extern port seg_server_port;

#endif /* KERNEL_SEG_H */
