/*
 * fuzz_soap_rep.c - the replicated SOAP server's network input
 * (userland/servers/soap/sps_rep.c) on the in-memory Bullet and vdisk of
 * tests/host/soap/fake_io.h: the input as an ordered update message
 * (decoded and, when it decodes, applied) and as a state snapshot (its
 * checksum made right, so the parser behind it is reached).  The server
 * must survive both and still have its root afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdcom.h>
#include <module/buffers.h>
#include "fake_io.h"

static struct fake *fz_f;
static struct sps fz_s;

static void
fz_world(void)
{
	if (fz_f != NULL)
		return;
	fz_f = fake_new();
	if (sps_start(&fz_s, &fz_f->io, "fuzz", 1) != STD_OK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536], rep[256];
	struct sps_upd u;
	size_t n = size > sizeof(buf) - 4 ? sizeof(buf) - 4 : size;

	fz_world();
	memcpy(buf, data, n);
	if (sps_upd_decode(buf, n, &u) == STD_OK) {
		if ((char *)u.body < buf || u.len > n ||
		    (char *)u.body + u.len > buf + n)
			abort();
		sps_apply(&fz_s, &u.h, u.body, u.len, rep, sizeof(rep));
	}
	memcpy(buf, data, n);
	buf_put_uint32(buf + n, buf + n + 4, sps_fnv(buf, n));
	sps_snap_install(&fz_s, buf, n + 4);
	if (!fz_s.slots[0].inuse)
		abort();
	return 0;
}

/* The server still answers for its root. */
void
fuzz_final_check(void)
{
	if (fz_f != NULL && sps_load(&fz_s, 0) == NULL) {
		fprintf(stderr, "the root is gone\n");
		abort();
	}
}
