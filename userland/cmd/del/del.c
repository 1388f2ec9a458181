/*
 * del - delete directory entries (Amoeba's del).
 *
 *   del [-df] pathname ...
 *
 * Each entry is removed with sp_delete; the objects it names are left
 * alone (other entries may still name them).  -d is needed for an entry
 * that is a directory, or whose server does not answer; -f first
 * destroys every object of the entry's capset (std_destroy).  Unlike
 * Amoeba's del -f, an entry whose object could not be destroyed (a
 * directory that is not empty, a capability without the right) is
 * kept, so that nothing becomes unreachable.
 */
#include <unistd.h>

#include "../cmdlib.h"

static int fl_d, fl_f;

/* -f: destroy each member of cs; 0, or 1 after a failure (reported). */
static int
del_destroy(const char *path, capset *cs)
{
	errstat err;
	int i, status = 0;

	for (i = 0; i < cs->cs_final; i++) {
		err = std_destroy(&cs->cs_suite[i].s_object);
		if (err != STD_OK)
			status = cmd_err(path, err);
	}
	return status;
}

static int
del_one(const char *path)
{
	capability cap;
	capset cs;
	errstat err;
	char kind = 0;
	int status = 0;

	if ((err = sp_lookup(SP_DEFAULT, path, &cs)) != STD_OK)
		return cmd_err(path, err);
	err = cs_to_cap(&cs, &cap);
	if (err == STD_OK)
		err = cmd_kind(&cap, &kind);
	if (!fl_d && err != STD_OK)
		status = cmd_msg(path, "cannot tell what it is (use -d)");
	else if (!fl_d && cmd_isdir(kind))
		status = cmd_msg(path, "is a directory (use -d)");
	else if (fl_f)
		status = del_destroy(path, &cs);
	cs_free(&cs);
	if (status == 0 && (err = sp_delete(SP_DEFAULT, path)) != STD_OK)
		status = cmd_err(path, err);
	return status;
}

int
main(int argc, char **argv)
{
	int c, i, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "df")) != -1) {
		if (c == 'd')
			fl_d = 1;
		else if (c == 'f')
			fl_f = 1;
		else
			return cmd_usage("[-df] pathname ...");
	}
	if (optind == argc)
		return cmd_usage("[-df] pathname ...");
	for (i = optind; i < argc; i++)
		status |= del_one(argv[i]);
	return status;
}
