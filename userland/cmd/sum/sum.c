/*
 * sum - checksum and size of files.
 *
 *   sum pathname ...
 *
 * Each Bullet file is read whole (b_size, b_read) and one line printed:
 * "CRC SIZE pathname", CRC the CRC-32 of its bytes in 8 hex digits (the
 * polynomial and the result of zlib's crc32 and of ISO 3309), so a
 * copy's content can be checked against a file on the host without
 * moving it.  Exit 1 when a file could not be read.
 */
#include <stdint.h>
#include <unistd.h>

#include "../cmdlib.h"

/* The CRC-32 of buf[0..len) (reflected, polynomial 0xEDB88320). */
static uint32_t
sum_crc32(const unsigned char *buf, b_fsize len)
{
	static uint32_t table[256];
	uint32_t crc = 0xFFFFFFFFu;

	if (table[1] == 0)
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	for (b_fsize i = 0; i < len; i++)
		crc = table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}

int
main(int argc, char **argv)
{
	capability cap;
	b_fsize len;
	errstat err;
	char *buf;
	int i, status = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || optind == argc)
		return cmd_usage("pathname ...");
	for (i = optind; i < argc; i++) {
		if ((err = name_lookup(argv[i], &cap)) != STD_OK) {
			status = cmd_err(argv[i], err);
			continue;
		}
		if ((err = cmd_load(&cap, &buf, &len)) != STD_OK) {
			status = cmd_readerr(argv[i], &cap, err);
			continue;
		}
		printf("%08lx %ld %s\n",
		       (unsigned long)sum_crc32((unsigned char *)buf, len),
		       (long)len, argv[i]);
		free(buf);
	}
	return status;
}
