/*
 * cat - concatenate files to standard output (Amoeba's cat).
 *
 *   cat [-u] [file ...]
 *
 * Each file is a Bullet file named by a path (from ROOT or WORK),
 * read in pieces with b_read; "-" or no file at all is standard input.
 * -u: unbuffered output.  A file that cannot be read gets a message
 * naming it and the error; the others are still copied; exit 1 then.
 */
#include <unistd.h>

#include "../cmdlib.h"

#define CHUNK 16384

/* Copy standard input to standard output, a line at a time from a
 * terminal (read returns what the terminal has). */
static int
cat_stdin(char *buf)
{
	int n;

	while ((n = read(0, buf, CHUNK)) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n ||
		    fflush(stdout) != 0)
			return cmd_msg("standard output", "write error");
	return n < 0 ? cmd_msg("standard input", "read error") : 0;
}

/* Copy the Bullet file path names to standard output. */
static int
cat_file(const char *path, char *buf)
{
	capability cap;
	b_fsize off = 0, got;
	errstat err;

	if ((err = name_lookup((char *)path, &cap)) != STD_OK)
		return cmd_err(path, err);
	do {
		err = b_read(&cap, off, buf, CHUNK, &got);
		if (err != STD_OK)
			return cmd_readerr(path, &cap, err);
		if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
			return cmd_msg("standard output", "write error");
		off += got;
	} while (got == CHUNK);
	return 0;
}

int
main(int argc, char **argv)
{
	static char buf[CHUNK];
	int c, i, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u')
			return cmd_usage("[-u] [file ...]");
		setvbuf(stdout, NULL, _IONBF, 0);
	}
	if (optind == argc)
		status |= cat_stdin(buf);
	for (i = optind; i < argc; i++)
		status |= strcmp(argv[i], "-") == 0 ? cat_stdin(buf)
						    : cat_file(argv[i], buf);
	fflush(stdout);
	return status;
}
