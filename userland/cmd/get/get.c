/*
 * get - write a file to standard output.
 *
 *   get pathname
 *
 * The Bullet file pathname names is read whole (b_size, b_read) and
 * written to standard output.  (Amoeba's get wrote the capability-set;
 * VX's get and put move file contents, the way files travel between
 * VX and a terminal or the host.)
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	capability cap;
	b_fsize len;
	errstat err;
	char *buf;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind != 1)
		return cmd_usage("pathname");
	if ((err = name_lookup(argv[optind], &cap)) != STD_OK)
		return cmd_err(argv[optind], err);
	if ((err = cmd_load(&cap, &buf, &len)) != STD_OK)
		return cmd_readerr(argv[optind], &cap, err);
	if (fwrite(buf, 1, (size_t)len, stdout) != (size_t)len ||
	    fflush(stdout) != 0)
		return cmd_msg("standard output", "write error");
	free(buf);
	return 0;
}
