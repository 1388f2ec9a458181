/*
 * fuzz_soap_req.c - SOAP requests with arbitrary headers and bodies
 * into the server core (sps_request) on the in-memory Bullet and vdisk
 * of tests/host/soap/fake_io.h.  Byte 0 picks the command, byte 1 the
 * capability (root, a new directory, the public object, a restricted or
 * forged one), bytes 2..5 h_extra and h_size; the rest is the body.
 * The server must answer every request and, at the end, start again
 * from its disk with the same directories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdcom.h>
#include "fake_io.h"

static struct fake *fz_f;
static struct sps fz_s;
static capability fz_caps[4];
static char fz_rep[SP_BUFSIZE];

static void
fz_world(void)
{
	if (fz_f != NULL)
		return;
	fz_f = fake_new();
	if (sps_start(&fz_s, &fz_f->io, "fuzz", 1) != STD_OK)
		abort();
	sps_capof(&fz_s, 0, 0xFF, &fz_caps[0]);
	sps_capof(&fz_s, SP_PUBOBJ, 0xFF, &fz_caps[1]);
	fz_caps[2] = fz_caps[0];
	prv_restrict(&fz_caps[0].cap_priv, 0x42, &fz_caps[2].cap_priv);
	fz_caps[3] = fz_caps[0];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const command cmds[] = {
		STD_INFO, STD_DESTROY, STD_RESTRICT, STD_TOUCH, STD_NTOUCH,
		STD_STATUS, STD_AGE,
	};
	char req[4096];
	header h;
	size_t n, len;

	fz_world();
	if (size < 6)
		return 0;
	memset(&h, 0, sizeof(h));
	h.h_command = data[0] < 200 ? (command)(SP_CREATE + data[0] % 14)
				    : cmds[data[0] % 7];
	h.h_port = fz_s.putport;
	h.h_priv = fz_caps[data[1] & 3].cap_priv;
	if ((data[1] & 3) == 3)		/* a forged or unknown one */
		h.h_priv.prv_object[0] = data[1] >> 2;
	h.h_extra = (uint16)(data[2] | data[3] << 8);
	h.h_size = (uint16)(data[4] | data[5] << 8);
	h.h_offset = data[1];
	len = size - 6 > sizeof(req) ? sizeof(req) : size - 6;
	memcpy(req, data + 6, len);
	n = sps_request(&fz_s, &h, req, len, fz_rep, sizeof(fz_rep));
	if (n > sizeof(fz_rep)) {
		fprintf(stderr, "reply longer than its buffer\n");
		abort();
	}
	if (h.h_command == SP_CREATE && h.h_status == STD_OK) {
		fz_caps[3].cap_port = h.h_port;	/* keep a new directory */
		fz_caps[3].cap_priv = h.h_priv;
	}
	return 0;
}

/* The directories survive a restart from the fake disk. */
void
fuzz_final_check(void)
{
	uint32_t live = 0, i;

	fz_world();
	for (i = 0; i < fz_s.nslots; i++)
		live += fz_s.slots[i].inuse;
	sps_stop(&fz_s);
	if (sps_start(&fz_s, &fz_f->io, "fuzz", 0) != STD_OK) {
		fprintf(stderr, "restart failed\n");
		abort();
	}
	for (i = 0; i < fz_s.nslots; i++)
		if (fz_s.slots[i].inuse && (live--, sps_load(&fz_s, i) == NULL)) {
			fprintf(stderr, "directory %u lost\n", (unsigned)i);
			abort();
		}
	if (live != 0) {
		fprintf(stderr, "directory count changed\n");
		abort();
	}
	printf("# restart: every directory back\n");
}
