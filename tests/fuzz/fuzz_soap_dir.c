/*
 * fuzz_soap_dir.c - the SOAP directory-file parser (sps_dir_decode) on
 * arbitrary bytes.  The input gets a valid checksum appended half of the
 * time so that the parser's inner checks are reached; whatever it
 * accepts must encode back to the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <module/buffers.h>
#include "sps.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sps_dir *d = NULL;
	char *buf, *again;
	size_t n, m;

	if (size < 1 || size > SPS_MAXFILE)
		return 0;
	n = size - 1;
	buf = malloc(n + 4);
	memcpy(buf, data + 1, n);
	if (data[0] & 1) {			/* make the checksum right */
		if (n >= 4 && (data[0] & 2))	/* and the magic */
			buf_put_uint32(buf, buf + n, SPS_DIRMAGIC);
		buf_put_uint32(buf + n, buf + n + 4, sps_fnv(buf, n));
		n += 4;
	}
	if (sps_dir_decode(buf, n, &d) == STD_OK) {
		if (sps_dir_encode(d, &again, &m) != STD_OK || m != n ||
		    memcmp(again, buf, n) != 0) {
			fprintf(stderr, "accepted file does not round-trip\n");
			abort();
		}
		free(again);
		sps_dir_free(d);
	}
	free(buf);
	return 0;
}
