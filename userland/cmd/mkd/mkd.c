/*
 * mkd - make directories (Amoeba's mkd).
 *
 *   mkd [-c column] ... pathname ...
 *
 * Each pathname becomes a new SOAP directory (sp_mkdir) with the
 * columns owner, group and other, or with the 1 to 4 columns that -c
 * names, one -c per column.
 */
#include <unistd.h>

#include "../cmdlib.h"

#define USAGE "[-c column] ... pathname ..."

int
main(int argc, char **argv)
{
	char *cols[SP_MAXCOLUMNS + 1];
	errstat err;
	int c, i, n = 0, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "c:")) != -1) {
		if (c != 'c' || n == SP_MAXCOLUMNS)
			return cmd_usage(USAGE);
		cols[n++] = optarg;
	}
	cols[n] = NULL;
	if (optind == argc)
		return cmd_usage(USAGE);
	for (i = optind; i < argc; i++) {
		err = sp_mkdir(SP_DEFAULT, argv[i], n ? cols : NULL);
		if (err != STD_OK)
			status = cmd_err(argv[i], err);
	}
	return status;
}
