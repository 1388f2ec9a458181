/*
 * put - store standard input as a file.
 *
 *   put [-f] pathname
 *
 * Standard input, up to its end, becomes a new committed Bullet file
 * (on the default Bullet server) entered under pathname.  The name must
 * not exist yet; with -f an existing entry is replaced (sp_replace) and
 * the object it held is left alone, as Amoeba's put -f does.
 */
#include <unistd.h>

#include "../cmdlib.h"

/* All of standard input in a malloc'ed buffer. */
static int
put_read(char **buf, size_t *len)
{
	size_t room = 16384, n;
	char *b = malloc(room), *nb;

	*len = 0;
	while (b != NULL && (n = fread(b + *len, 1, room - *len, stdin)) > 0) {
		*len += n;
		if (*len == room) {
			nb = realloc(b, room * 2);
			if (nb == NULL)
				free(b);
			b = nb;
			room *= 2;
		}
	}
	*buf = b;
	if (b == NULL)
		return cmd_err("standard input", STD_NOMEM);
	return ferror(stdin) ? cmd_msg("standard input", "read error") : 0;
}

int
main(int argc, char **argv)
{
	int c, force = 0;
	errstat err;
	size_t len;
	char *buf;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "f")) != -1) {
		if (c != 'f')
			return cmd_usage("[-f] pathname");
		force = 1;
	}
	if (argc - optind != 1)
		return cmd_usage("[-f] pathname");
	if (put_read(&buf, &len) != 0)
		return 1;
	err = cmd_store(argv[optind], buf, (b_fsize)len, force, NULL);
	free(buf);
	return err == STD_OK ? 0 : cmd_err(argv[optind], err);
}
