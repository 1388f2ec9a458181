/*
 * mkd - make directories (Amoeba's mkd).
 *
 *   mkd [-c column] ... pathname ...
 *   mkd -s server pathname ...
 *
 * Each pathname becomes a new SOAP directory (sp_mkdir) with the
 * columns owner, group and other, or with the 1 to 4 columns that -c
 * names, one -c per column.  With -s it names instead the root of the
 * directory server called server (`soap -s server` on a second disk
 * node, found by its public port: sp_publiccap), so that paths through
 * it cross to that server (spec 7.3).
 */
#include <unistd.h>

#include <server/soap/soapsvr.h>

#include "../cmdlib.h"

#define USAGE "[-c column] ... pathname ...\n       mkd -s server " \
	"pathname ..."

/* Enter the root of directory server svr under path. */
static errstat
mkd_server(const char *svr, char *path)
{
	capability cap;
	capset cs;
	errstat err;

	if ((err = sp_publiccap(svr, &cs)) != STD_OK)
		return err;
	err = cs_to_cap(&cs, &cap);
	cs_free(&cs);
	return err != STD_OK ? err : name_append(path, &cap);
}

int
main(int argc, char **argv)
{
	char *cols[SP_MAXCOLUMNS + 1];
	const char *svr = NULL;
	errstat err;
	int c, i, n = 0, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "c:s:")) != -1) {
		if (c == 's' && svr == NULL) {
			svr = optarg;
			continue;
		}
		if (c != 'c' || n == SP_MAXCOLUMNS)
			return cmd_usage(USAGE);
		cols[n++] = optarg;
	}
	cols[n] = NULL;
	if (optind == argc || (svr != NULL && n > 0))
		return cmd_usage(USAGE);
	for (i = optind; i < argc; i++) {
		err = svr != NULL ? mkd_server(svr, argv[i]) :
		      sp_mkdir(SP_DEFAULT, argv[i], n ? cols : NULL);
		if (err != STD_OK)
			status = cmd_err(argv[i], err);
	}
	return status;
}
