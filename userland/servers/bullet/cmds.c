/*
 * cmds.c - the Bullet server's request decoding (spec 6.2): BS_CREATE,
 * BS_DELETE, BS_FSCK, BS_INSERT, BS_MODIFY, BS_READ, BS_SIZE,
 * BS_DISK_COMPACT, BS_SYNC and the standard commands STD_AGE, STD_COPY,
 * STD_DESTROY, STD_INFO, STD_RESTRICT, STD_STATUS, STD_TOUCH,
 * STD_NTOUCH, STD_GETPARAMS, STD_SETPARAMS.  Entry point: bs_handle,
 * which takes bs.lock itself (bs_handle_from: the same, with BS_READ
 * replies sent straight from the cache, see bsvr.h).
 *
 * Checks come in Amoeba's order: a capability that does not validate
 * gives STD_CAPBAD, missing rights STD_DENIED, bad sizes or offsets
 * STD_ARGBAD.  Reads and sizes of uncommitted files give STD_CAPBAD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <stdcom.h>
#include <module/buffers.h>
#include <module/prv.h>
#include <server/bullet/bs_find.h>

#include "bsvr.h"

#define STATUS_NAMES "creates reads commits writes loads evictions " \
		     "timeouts aged"

static uint32_t
reply(header *h, errstat err)
{
	h->h_status = (command)err;
	return 0;
}

/* Validate h's capability: its inode (0 = super) and rights. */
static errstat
check_cap(const header *h, uint32_t *ino, rights_bits *rights)
{
	objnum obj = prv_number(&h->h_priv);
	const port *random;

	if (obj == 0)
		random = &bs.sb.s_supercap.cap_priv.prv_random;
	else if ((uint32_t)obj < bs.sb.s_numinodes &&
		 bs.files[obj].state != F_FREE)
		random = &bs.files[obj].random;
	else
		return STD_CAPBAD;
	if (prv_decode(&h->h_priv, rights, random) < 0)
		return STD_CAPBAD;
	*ino = (uint32_t)obj;
	return STD_OK;
}

static void
put_cap(header *h, uint32_t ino, rights_bits rights)
{
	h->h_port = bs.putport;
	prv_encode(&h->h_priv, (objnum)ino, rights, &bs.files[ino].random);
}

/* ---- changing files ------------------------------------------------------ */

enum op { OP_MODIFY, OP_INSERT, OP_DELETE };

static errstat
apply(struct bfile *f, enum op op, uint32_t off, const char *data, uint32_t n)
{
	uint32_t newsize = op == OP_INSERT ? f->size + n
			 : op == OP_MODIFY && off + n > f->size ? off + n
			 : f->size;
	errstat err;

	if (op != OP_DELETE && (newsize < f->size || newsize > INT32_MAX))
		return STD_ARGBAD;
	err = bs_cache_alloc(f, newsize);
	if (err != STD_OK)
		return err;
	if (op == OP_INSERT)
		memmove(f->data + off + n, f->data + off, f->size - off);
	if (op == OP_DELETE)
		memmove(f->data + off, f->data + off + n, f->size - off - n);
	else if (n > 0)		/* data may be NULL when n is 0 */
		memcpy(f->data + off, data, n);
	if (op == OP_DELETE)
		memset(f->data + f->size - n, 0, n);
	f->size = newsize - (op == OP_DELETE ? n : 0);
	f->idle = 0;
	f->lru = ++bs.clock;
	return STD_OK;
}

/* A new uncommitted copy of committed file orig; its inode or 0. */
static uint32_t
copy_file(uint32_t orig, errstat *err)
{
	struct bfile *o = &bs.files[orig], *f;
	int ino;

	if ((*err = bs_load(orig)) != STD_OK)
		return 0;
	if ((ino = bs_new_inode()) == 0) {
		*err = STD_NOSPACE;
		return 0;
	}
	f = &bs.files[ino];
	*err = bs_cache_alloc(f, o->size);
	if (*err == STD_OK && bs.files[orig].data == NULL)
		*err = bs_load(orig);	/* evicted to make room */
	if (*err != STD_OK) {
		bs_destroy((uint32_t)ino);
		return 0;
	}
	if (o->size > 0)	/* an empty file has no data, not even NULL's */
		memcpy(f->data, o->data, o->size);
	f->size = o->size;
	return (uint32_t)ino;
}

/* The commit flags of h after a change to ino; the reply. */
static uint32_t
finish(header *h, uint32_t ino, int made, rights_bits rights)
{
	rights_bits cmp_rights = bs.files[ino].cmp_rights;
	uint32_t result = ino;
	errstat err = STD_OK;

	if (h->h_extra & BS_COMMIT)
		err = bs_commit(ino, h->h_extra & BS_SAFETY, &result);
	if (err != STD_OK && made) {
		bs_destroy(ino);
		return reply(h, err);
	}
	if (err != STD_OK)
		return reply(h, err);
	/* compare mode gave the original: the rights it was named with */
	put_cap(h, result, result == ino ? (made ? BS_RGT_ALL : rights)
					 : cmp_rights);
	return reply(h, STD_OK);
}

/* BS_MODIFY, BS_INSERT, BS_DELETE. */
static uint32_t
bs_change(header *h, enum op op, char *req, int32 reqlen)
{
	uint32_t ino, target, n;
	rights_bits rights;
	int32 count = reqlen, off = h->h_offset;
	struct bfile *f;
	errstat err;
	int made = 0;

	if ((err = check_cap(h, &ino, &rights)) != STD_OK)
		return reply(h, err);
	if (ino == 0)
		return reply(h, STD_COMBAD);
	if (!(rights & BS_RGT_MODIFY))
		return reply(h, STD_DENIED);
	if (op == OP_DELETE &&
	    buf_get_int32(req, req + reqlen, &count) == NULL)
		return reply(h, STD_ARGBAD);
	f = &bs.files[ino];
	n = (uint32_t)count;
	if (off < 0 || (uint32_t)off > f->size || count < 0 ||
	    (op != OP_MODIFY && count == 0) ||
	    (op == OP_DELETE && n > f->size - (uint32_t)off))
		return reply(h, STD_ARGBAD);
	target = ino;
	if (f->state == F_COMMITTED) {
		if (n == 0 && op == OP_MODIFY)
			return reply(h, STD_OK);	/* nothing to change */
		if ((target = copy_file(ino, &err)) == 0)
			return reply(h, err);
		made = 1;
	}
	err = apply(&bs.files[target], op, (uint32_t)off, req, n);
	if (err != STD_OK) {
		if (made)
			bs_destroy(target);
		return reply(h, err);
	}
	return finish(h, target, made, rights);
}

static uint32_t
bs_create(header *h, char *req, int32 reqlen)
{
	uint32_t ino, orig;
	rights_bits rights;
	errstat err;
	int n;

	if ((err = check_cap(h, &orig, &rights)) != STD_OK)
		return reply(h, err);
	if (!(rights & BS_RGT_CREATE))
		return reply(h, STD_DENIED);
	if (orig != 0 && bs.files[orig].state != F_COMMITTED)
		return reply(h, STD_CAPBAD);
	if ((n = bs_new_inode()) == 0)
		return reply(h, STD_NOSPACE);
	ino = (uint32_t)n;
	bs.files[ino].cmp_inode = orig;
	bs.files[ino].cmp_rights = rights;
	bs.stats[0]++;
	if (reqlen > 0 &&
	    (err = apply(&bs.files[ino], OP_MODIFY, 0, req, (uint32_t)reqlen))
		    != STD_OK) {
		bs_destroy(ino);
		return reply(h, err);
	}
	return finish(h, ino, 1, BS_RGT_ALL);
}

/* ---- reading -------------------------------------------------------------- */

/* The request in progress (bs.lock): its thread slot and where a read
 * may point its reply into the cache (NULL: copy into rep). */
static int cur_slot;
static const char **cur_out;

/* BS_READ: h_size bytes, or h_extra * BS_BIGUNIT from a VX client. */
static uint32_t
bs_read(header *h, char *rep, int32 repmax)
{
	uint32_t ino, n, want = h->h_extra ? (uint32_t)h->h_extra * BS_BIGUNIT
					   : h->h_size;
	rights_bits rights;
	struct bfile *f;
	errstat err;

	if ((err = check_cap(h, &ino, &rights)) != STD_OK)
		return reply(h, err);
	if (ino == 0)
		return reply(h, STD_COMBAD);
	f = &bs.files[ino];
	if (f->state != F_COMMITTED)
		return reply(h, STD_CAPBAD);
	if (!(rights & BS_RGT_READ))
		return reply(h, STD_DENIED);
	if (h->h_offset < 0 || (uint32_t)h->h_offset > f->size)
		return reply(h, STD_ARGBAD);
	if ((err = bs_load(ino)) != STD_OK)
		return reply(h, err);
	n = f->size - (uint32_t)h->h_offset;
	if (n > want)
		n = want;
	if (n > (uint32_t)repmax)
		n = (uint32_t)repmax;
	if (cur_out != NULL) {			/* sent from the cache */
		*cur_out = f->data + h->h_offset;
		bs.sending[cur_slot].buf = f->data;
	} else if (n > 0) {		/* an empty file has no data */
		memcpy(rep, f->data + h->h_offset, n);
	}
	h->h_size = (bufsize)n;
	bs.stats[1]++;
	reply(h, STD_OK);
	return n;
}

static uint32_t
bs_size(header *h)
{
	uint32_t ino;
	rights_bits rights;
	errstat err;

	if ((err = check_cap(h, &ino, &rights)) != STD_OK)
		return reply(h, err);
	if (ino == 0)
		return reply(h, STD_COMBAD);
	if (bs.files[ino].state != F_COMMITTED)
		return reply(h, STD_CAPBAD);
	if (!(rights & BS_RGT_READ))
		return reply(h, STD_DENIED);
	h->h_offset = (int32)bs.files[ino].size;
	return reply(h, STD_OK);
}

/* ---- administration --------------------------------------------------------- */

/* The super-capability with rights need, else the error. */
static errstat
need_super(header *h, rights_bits need)
{
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err != STD_OK)
		return err;
	if (ino != 0)
		return STD_COMBAD;
	return (rights & need) == need ? STD_OK : STD_DENIED;
}

static int
addr_cmp(const void *a, const void *b)
{
	uint32_t x = bs.files[*(const uint32_t *)a].dskaddr;
	uint32_t y = bs.files[*(const uint32_t *)b].dskaddr;

	return x < y ? -1 : x > y;
}

/* Move each file, lowest address first, to the lowest run that fits. */
static errstat
compact(uint32_t *moved)
{
	uint32_t *order = malloc(sizeof(uint32_t) * bs.sb.s_numinodes), n = 0;
	errstat err = bs_flush_all();

	*moved = 0;
	if (order == NULL)
		return STD_NOMEM;
	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++)
		if (bs.files[i].state == F_COMMITTED && bs.files[i].dskaddr)
			order[n++] = i;
	qsort(order, n, sizeof(uint32_t), addr_cmp);
	for (uint32_t k = 0; k < n && err == STD_OK; k++) {
		struct bfile *f = &bs.files[order[k]];
		uint32_t nb = bs_nblocks(&bs.sb, f->size), old = f->dskaddr;
		uint32_t to = bs_map_find(&bs.map, bs.sb.s_inodetop + 1, nb);

		if (to == 0 || to >= old || (err = bs_load(order[k])) != STD_OK)
			continue;
		bs_map_set(&bs.map, to, nb);
		f->dskaddr = to;
		if ((err = bs_write_file(order[k])) != STD_OK) {
			f->dskaddr = old;	/* the disk still has old */
			bs_map_clear(&bs.map, to, nb);
			break;
		}
		bs_map_clear(&bs.map, old, nb);
		(*moved)++;
	}
	free(order);
	return err;
}

static uint32_t
bs_admin(header *h)
{
	errstat err = need_super(h, BS_RGT_ADMIN);
	uint32_t moved;
	int bad;

	if (err != STD_OK)
		return reply(h, err);
	if (h->h_command == BS_DISK_COMPACT) {
		err = compact(&moved);
		h->h_offset = (int32)moved;
		return reply(h, err);
	}
	if ((err = bs_flush_all()) != STD_OK)
		return reply(h, err);
	bad = bs_fsck(1);
	h->h_offset = bad;
	return reply(h, bad < 0 ? STD_SYSERR : STD_OK);
}

static uint32_t
bs_sync(header *h)
{
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err == STD_OK)
		err = bs_flush_all();
	if (err == STD_OK)	/* destroys too are on the medium */
		err = bs_vdisk_sync(&bs.vdisk);
	return reply(h, err);
}

/* ---- standard commands -------------------------------------------------------- */

static uint32_t
std_age(header *h)
{
	errstat err = need_super(h, BS_RGT_ALL);

	if (err != STD_OK)
		return reply(h, err);
	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++) {
		struct bfile *f = &bs.files[i];

		if (f->state != F_COMMITTED || f->lifetime == 0 ||
		    --f->lifetime > 0)
			continue;
		if (bs_destroy(i) == STD_OK)
			bs.stats[7]++;
		else
			f->lifetime = 1;	/* the next age tries again */
	}
	return reply(h, STD_OK);
}

static void
touch(struct bfile *f)
{
	f->lifetime = MAX_LIFETIME;
	f->idle = 0;
}

static uint32_t
std_touch(header *h)
{
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err == STD_OK && ino != 0)
		touch(&bs.files[ino]);
	return reply(h, err);
}

static uint32_t
std_ntouch(header *h, char *req, int32 reqlen)
{
	uint32_t n = h->h_size, done = 0;
	header one;

	if ((int64_t)n * 10 > reqlen)
		return reply(h, STD_ARGBAD);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ino;
		rights_bits rights;

		memcpy(&one.h_priv, req + i * 10, sizeof(private));
		if (check_cap(&one, &ino, &rights) == STD_OK && ino != 0) {
			touch(&bs.files[ino]);
			done++;
		}
	}
	h->h_extra = (uint16)done;
	return reply(h, STD_OK);
}

static uint32_t
std_destroy(header *h)
{
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err != STD_OK)
		return reply(h, err);
	if (ino == 0)
		return reply(h, STD_COMBAD);
	if (!(rights & BS_RGT_DESTROY))
		return reply(h, STD_DENIED);
	return reply(h, bs_destroy(ino));
}

static uint32_t
std_restrict(header *h)
{
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);
	const port *random = ino == 0 ? &bs.sb.s_supercap.cap_priv.prv_random
				      : &bs.files[ino].random;

	if (err != STD_OK)
		return reply(h, err);
	err = prv_restrict_server(&h->h_priv, h->h_offset, random, &h->h_priv);
	h->h_port = bs.putport;
	return reply(h, err);
}

static uint32_t
text_reply(header *h, char *rep, int32 repmax, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	if (n > h->h_size)
		n = h->h_size;
	if (n > (uint32_t)repmax)
		n = (uint32_t)repmax;
	memcpy(rep, s, n);
	h->h_size = (bufsize)n;
	reply(h, STD_OK);
	return n;
}

static uint32_t
std_info(header *h, char *rep, int32 repmax)
{
	char s[64];
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err != STD_OK)
		return reply(h, err);
	if (ino == 0)
		snprintf(s, sizeof(s), "bullet server");
	else
		snprintf(s, sizeof(s), "-   %lu bytes",
			 (unsigned long)bs.files[ino].size);
	return text_reply(h, rep, repmax, s);
}

static uint32_t
std_status(header *h, char *rep, int32 repmax)
{
	char s[BS_STATUS_SIZE];
	uint32_t ino;
	rights_bits rights;
	errstat err = check_cap(h, &ino, &rights);

	if (err != STD_OK)
		return reply(h, err);
	snprintf(s, sizeof(s),
		 "bullet server on %s: %u files, %u of %u blocks free, "
		 "block size %u, cache %llu of %llu bytes\n"
		 "%s\n%u %u %u %u %u %u %u %u\n", bs.diskname,
		 (unsigned)bs.nfiles, (unsigned)bs.map.nfree,
		 (unsigned)bs.sb.s_numblocks, (unsigned)bs.blksize,
		 (unsigned long long)bs.cache_used,
		 (unsigned long long)bs.cache_max, STATUS_NAMES,
		 bs.stats[0], bs.stats[1], bs.stats[2], bs.stats[3],
		 bs.stats[4], bs.stats[5], bs.stats[6], bs.stats[7]);
	return text_reply(h, rep, repmax, s);
}

/* STD_SETPARAMS: "name\0value\0" pairs: sweeptime (ms), cachesize. */
static uint32_t
std_setparams(header *h, char *req, int32 reqlen)
{
	errstat err = need_super(h, BS_RGT_ADMIN);
	char *p = req, *end = req + reqlen, *name, *val;

	if (err != STD_OK)
		return reply(h, err);
	for (int i = 0; i < h->h_extra; i++) {
		p = buf_get_string(p, end, &name);
		p = buf_get_string(p, end, &val);
		if (p == NULL)
			return reply(h, STD_ARGBAD);
		long v = strtol(val, NULL, 0);
		if (strcmp(name, "sweeptime") == 0 && v >= 10)
			bs.sweep_ms = (uint32_t)v;
		else if (strcmp(name, "cachesize") == 0 && v >= 4096)
			bs.cache_max = (uint64_t)v;
		else
			return reply(h, STD_ARGBAD);
	}
	return reply(h, STD_OK);
}

static uint32_t
std_getparams(header *h, char *rep, int32 repmax)
{
	char *p = rep, *end = rep + repmax, v1[16], v2[24];
	errstat err = need_super(h, BS_RGT_ADMIN);

	if (err != STD_OK)
		return reply(h, err);
	snprintf(v1, sizeof(v1), "%lu", (unsigned long)bs.sweep_ms);
	snprintf(v2, sizeof(v2), "%llu", (unsigned long long)bs.cache_max);
	p = buf_put_string(p, end, "sweeptime");
	p = buf_put_string(p, end, "int");
	p = buf_put_string(p, end, "ms between sweeps of the cache");
	p = buf_put_string(p, end, v1);
	p = buf_put_string(p, end, "cachesize");
	p = buf_put_string(p, end, "int");
	p = buf_put_string(p, end, "bytes of file cache");
	p = buf_put_string(p, end, v2);
	if (p == NULL)
		return reply(h, STD_OVERFLOW);
	h->h_size = (bufsize)(p - rep);
	h->h_extra = 2;
	reply(h, STD_OK);
	return (uint32_t)(p - rep);
}

/* Make a committed file of data[0..size) under bs.lock; its inode or 0. */
static uint32_t
store_copy(const char *data, uint32_t size, errstat *err)
{
	uint32_t ino, result;
	int n = bs_new_inode();

	if (n == 0) {
		*err = STD_NOSPACE;
		return 0;
	}
	ino = (uint32_t)n;
	*err = apply(&bs.files[ino], OP_MODIFY, 0, data, size);
	if (*err == STD_OK)
		*err = bs_commit(ino, 0, &result);
	if (*err != STD_OK) {
		bs_destroy(ino);
		return 0;
	}
	return ino;
}

/*
 * STD_COPY: body = a capability of a committed file on any Bullet
 * server; it is read without bs.lock held (it may be this server).
 */
static uint32_t
std_copy(header *h, char *req, int32 reqlen)
{
	b_fsize size = 0, got = 0;
	capability src;
	char *data = NULL;
	uint32_t ino = 0;
	errstat err;

	if (buf_get_cap(req, req + reqlen, &src) == NULL)
		return reply(h, STD_ARGBAD);
	mu_lock(&bs.lock);
	err = need_super(h, BS_RGT_CREATE);
	mu_unlock(&bs.lock);
	if (err == STD_OK)
		err = b_size(&src, &size);
	if (err == STD_OK && (data = malloc(size ? (size_t)size : 1)) == NULL)
		err = STD_NOMEM;
	if (err == STD_OK)
		err = b_read(&src, 0, data, size, &got);
	if (err == STD_OK && got != size)
		err = STD_SYSERR;
	mu_lock(&bs.lock);
	if (err == STD_OK && (err = need_super(h, BS_RGT_CREATE)) == STD_OK)
		ino = store_copy(data, (uint32_t)size, &err);
	if (err == STD_OK)
		put_cap(h, ino, BS_RGT_ALL);
	mu_unlock(&bs.lock);
	free(data);
	return reply(h, err);
}

static uint32_t
dispatch(header *h, char *req, int32 reqlen, char *rep, int32 repmax)
{
	switch (h->h_command) {
	case BS_CREATE:		return bs_create(h, req, reqlen);
	case BS_MODIFY:		return bs_change(h, OP_MODIFY, req, reqlen);
	case BS_INSERT:		return bs_change(h, OP_INSERT, req, reqlen);
	case BS_DELETE:		return bs_change(h, OP_DELETE, req, reqlen);
	case BS_READ:		return bs_read(h, rep, repmax);
	case BS_SIZE:		return bs_size(h);
	case BS_FSCK:
	case BS_DISK_COMPACT:	return bs_admin(h);
	case BS_SYNC:		return bs_sync(h);
	case STD_AGE:		return std_age(h);
	case STD_TOUCH:		return std_touch(h);
	case STD_NTOUCH:	return std_ntouch(h, req, reqlen);
	case STD_DESTROY:	return std_destroy(h);
	case STD_RESTRICT:	return std_restrict(h);
	case STD_INFO:		return std_info(h, rep, repmax);
	case STD_STATUS:	return std_status(h, rep, repmax);
	case STD_SETPARAMS:	return std_setparams(h, req, reqlen);
	case STD_GETPARAMS:	return std_getparams(h, rep, repmax);
	default:		return reply(h, STD_COMBAD);
	}
}

uint32_t
bs_handle_from(int slot, header *h, char *req, int32 reqlen, char *rep,
	       int32 repmax, const char **out)
{
	uint32_t n;

	if (out != NULL)
		*out = rep;
	if (reqlen < 0)
		reqlen = 0;
	if (h->h_command == STD_COPY)
		return std_copy(h, req, reqlen);
	mu_lock(&bs.lock);
	cur_slot = slot;
	cur_out = slot >= 0 && slot < BS_MAXTHREADS ? out : NULL;
	n = dispatch(h, req, reqlen, rep, repmax);
	cur_out = NULL;
	mu_unlock(&bs.lock);
	return n;
}

uint32_t
bs_handle(header *h, char *req, int32 reqlen, char *rep, int32 repmax)
{
	return bs_handle_from(-1, h, req, reqlen, rep, repmax, NULL);
}

void
bs_sent(int slot)
{
	struct bsend *s = &bs.sending[slot];

	mu_lock(&bs.lock);
	if (s->orphan)
		free(s->buf);
	s->buf = NULL;
	s->orphan = 0;
	mu_unlock(&bs.lock);
}
