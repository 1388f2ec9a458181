/*
 * chm - change the column masks of directory entries (Amoeba's chm).
 *
 *   chm mask pathname ...
 *
 * mask is a colon-separated list of hexadecimal rights masks, one per
 * column of the directory holding the entry ("ff:2:4" for owner, group
 * and other); a different count is an invalid argument.
 */
#include <unistd.h>

#include <sp_dir.h>

#include "../cmdlib.h"

/* Parse "ff:2:4" into m; the number of masks, or -1. */
static int
chm_masks(const char *s, rights_bits m[SP_MAXCOLUMNS])
{
	char *end;
	unsigned long v;
	int n = 0;

	for (;;) {
		if (n == SP_MAXCOLUMNS || *s == 0 || *s == ':')
			return -1;
		v = strtoul(s, &end, 16);
		if (end == s || end - s > 2 || v > 0xFF)
			return -1;
		m[n++] = (rights_bits)v;
		if (*end == 0)
			return n;
		if (*end != ':')
			return -1;
		s = end + 1;
	}
}

/* The number of columns of the directory holding path's entry. */
static errstat
chm_ncols(const char *path, int *ncols)
{
	const char *name = path;
	capset dir;
	SP_DIR *dd;
	errstat err;

	if ((err = sp_traverse(SP_DEFAULT, &name, &dir)) != STD_OK)
		return err;
	err = sp_list(&dir, &dd);
	cs_free(&dir);
	if (err == STD_OK) {
		*ncols = dd->dd_ncols;
		sp_closedir(dd);
	}
	return err;
}

int
main(int argc, char **argv)
{
	rights_bits m[SP_MAXCOLUMNS];
	errstat err;
	int i, n, ncols = 0, status = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind < 2)
		return cmd_usage("mask pathname ...");
	if ((n = chm_masks(argv[optind], m)) < 0)
		return cmd_err(argv[optind], STD_ARGBAD);
	for (i = optind + 1; i < argc; i++) {
		err = chm_ncols(argv[i], &ncols);
		if (err == STD_OK && ncols != n)
			err = STD_ARGBAD;
		if (err == STD_OK)
			err = sp_chmod(SP_DEFAULT, argv[i], n, m);
		if (err != STD_OK)
			status = cmd_err(argv[i], err);
	}
	return status;
}
