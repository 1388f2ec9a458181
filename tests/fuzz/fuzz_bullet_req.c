/*
 * fuzz_bullet_req.c - the Bullet server's request decoding and file store
 * (userland/servers/bullet/cmds.c and store.c) on the host, against a
 * 256 KiB disk in memory.
 *
 * Each input is a sequence of requests, 12 bytes each plus data:
 *   byte 0  command (an index into every command the server knows, or
 *           a raw number), byte 1 which capability (the super-capability,
 *           one learned from an earlier reply, restricted or forged),
 *   2..5    h_offset, 6..7 h_size, 8..9 h_extra, 10 data length,
 *   11      flags: bit 0 run a sweep after the request, bit 1 shrink
 *           the cache to 8 KiB, bit 2 make the next disk write fail.
 * After every request the server's accounting must hold (cache bytes,
 * free blocks, file count) and BS_FSCK must find the disk consistent
 * with the server's copy of the inode table; ASan and UBSan watch the
 * rest.  The disk is made afresh for each input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <stdcom.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <server/bullet/bs_find.h>

#include "userland/servers/bullet/bsvr.h"

#define DISK_BYTES (256u << 10)

static uint8_t disk[DISK_BYTES];
static int fail_next_write;
static uint64_t rng = 1;

/* ---- the host side of what the server calls ------------------------------ */

void mu_init(mutex *mu) { (void)mu; }
void mu_lock(mutex *mu) { (void)mu; }
void mu_unlock(mutex *mu) { (void)mu; }

void
uniqport(port *p)
{
	for (int i = 0; i < PORTSIZE; i++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		p->_portbytes[i] = (uint8_t)(rng >> 56);
	}
	if (NULLPORT(p))
		p->_portbytes[0] = 1;
}

errstat
bs_vdisk_read(const capability *vdisk, uint32_t lba, uint32_t n, void *buf)
{
	(void)vdisk;
	if ((uint64_t)(lba + (uint64_t)n) * 512 > DISK_BYTES)
		abort();	/* the server must stay inside its disk */
	memcpy(buf, disk + (size_t)lba * 512, (size_t)n * 512);
	return STD_OK;
}

errstat
bs_vdisk_write(const capability *vdisk, uint32_t lba, uint32_t n,
	       const void *buf)
{
	(void)vdisk;
	if ((uint64_t)(lba + (uint64_t)n) * 512 > DISK_BYTES)
		abort();
	if (fail_next_write) {
		fail_next_write = 0;
		return STD_SYSERR;
	}
	memcpy(disk + (size_t)lba * 512, buf, (size_t)n * 512);
	return STD_OK;
}

errstat
b_size(capability *file, b_fsize *size)
{
	(void)file, (void)size;
	return RPC_NOTFOUND;	/* STD_COPY's source is never reachable */
}

errstat
b_read(capability *file, b_fsize offset, char *buf, b_fsize size,
       b_fsize *nread)
{
	(void)file, (void)offset, (void)buf, (void)size, (void)nread;
	return RPC_NOTFOUND;
}

/* ---- the world --------------------------------------------------------------- */

static capability caps[16];
static int ncaps;

static void
world_free(void)
{
	if (bs.files)
		for (uint32_t i = 1; i < bs.sb.s_numinodes; i++)
			free(bs.files[i].data);
	free(bs.files);
	free(bs.itab);
	bs_map_free(&bs.map);
	memset(&bs, 0, sizeof(bs));
}

static void
world_new(void)
{
	port get = { { 'f', 'u', 'z', 'z', 'b', 's' } };
	port check = { { 1, 2, 3, 4, 5, 6 } };

	world_free();
	memset(disk, 0, sizeof(disk));
	if (bs_layout(DISK_BYTES, 9, 64, &get, &check, &bs.sb) < 0)
		abort();
	bs_super_put(&bs.sb, disk);
	bs.blksize = 512;
	bs.getport = get;
	priv2pub(&get, &bs.putport);
	bs.cache_max = 64u << 10;
	bs.sweep_ms = 1000;
	snprintf(bs.diskname, sizeof(bs.diskname), "memdisk");
	if (bs_load_table() != STD_OK || bs.nfiles != 0)
		abort();
	caps[0].cap_port = bs.putport;
	caps[0].cap_priv = bs.sb.s_supercap.cap_priv;
	ncaps = 1;
	fail_next_write = 0;
}

/* The accounting the server keeps must match its tables. */
static void
invariants(void)
{
	uint64_t cached = 0;
	uint32_t files = 0;
	header h;

	for (uint32_t i = 1; i < bs.sb.s_numinodes; i++) {
		struct bfile *f = &bs.files[i];

		cached += f->alloc;
		files += f->state == F_COMMITTED;
		if (f->state != F_FREE && f->data && f->alloc < f->size)
			abort();
	}
	if (cached != bs.cache_used || files != bs.nfiles)
		abort();
	if (bs_flush_all() != STD_OK)
		return;		/* a failed write: the next check covers it */
	memset(&h, 0, sizeof(h));
	if (bs_fsck(0) != 0)
		abort();
}

static const command cmds[] = {
	BS_CREATE, BS_DELETE, BS_FSCK, BS_INSERT, BS_MODIFY, BS_READ, BS_SIZE,
	BS_DISK_COMPACT, BS_SYNC, STD_AGE, STD_COPY, STD_DESTROY, STD_INFO,
	STD_RESTRICT, STD_STATUS, STD_TOUCH, STD_NTOUCH, STD_GETPARAMS,
	STD_SETPARAMS,
};

static void
pick_cap(uint8_t sel, header *h)
{
	capability c = caps[(sel & 15) % ncaps];

	if (sel & 0x40)		/* a forged check field */
		c.cap_priv.prv_random._portbytes[sel & 3] ^= 0x10;
	if (sel & 0x80 && c.cap_priv.prv_rights == 0xFF)
		prv_restrict(&c.cap_priv, sel & 0x2F, &c.cap_priv);
	if ((sel & 0x30) == 0x30)	/* someone else's object number */
		c.cap_priv.prv_object[0] ^= (uint8_t)(sel >> 1);
	h->h_port = c.cap_port;
	h->h_priv = c.cap_priv;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
one_request(const uint8_t *p, const uint8_t *data, uint32_t len)
{
	static char rep[65536];
	char req[256];
	header h;

	memset(&h, 0, sizeof(h));
	pick_cap(p[1], &h);
	h.h_command = p[0] < 2 * (sizeof(cmds) / sizeof(cmds[0]))
		      ? cmds[p[0] % (sizeof(cmds) / sizeof(cmds[0]))]
		      : (command)(1900 + p[0]);
	h.h_offset = (int32)((uint32_t)p[2] | (uint32_t)p[3] << 8 |
			     (uint32_t)p[4] << 16 | (uint32_t)p[5] << 24);
	h.h_size = le16(p + 6);
	h.h_extra = le16(p + 8);
	if (p[11] & 2) {
		char body[32];
		int n = snprintf(body, sizeof(body), "cachesize%c8192", 0);
		header s = { .h_command = STD_SETPARAMS, .h_extra = 1 };

		s.h_port = caps[0].cap_port;
		s.h_priv = caps[0].cap_priv;
		bs_handle(&s, body, n + 1, rep, sizeof(rep));
	}
	fail_next_write = p[11] & 4;
	memcpy(req, data, len);
	bs_handle(&h, req, (int32)len, rep, sizeof(rep));
	fail_next_write = 0;
	if (h.h_status == STD_OK && ncaps < 16 && !NULLPORT(&h.h_port))
		caps[ncaps++] = (capability){ h.h_port, h.h_priv };
	if (p[11] & 1)
		bs_sweep();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	world_new();
	while (size >= 12) {
		uint32_t len = data[10];

		if (len > size - 12)
			len = (uint32_t)(size - 12);
		one_request(data, data + 12, len);
		invariants();
		data += 12 + len;
		size -= 12 + len;
	}
	return 0;
}

void
fuzz_final_check(void)
{
	world_free();
}
