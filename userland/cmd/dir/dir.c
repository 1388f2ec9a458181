/*
 * dir - list directory entries (Amoeba's dir).
 *
 *   dir [-cdklrux] [pathname ...]
 *
 * A pathname that names a directory lists its entries in name order
 * (-u: directory order, -r: reversed); -d, or a pathname that is not a
 * directory, shows the entry itself.  Per entry: its name, then with
 * -c its column masks (under a header of the column names), -x its
 * capset as "initial,current,final", -k its first capability in hex
 * (port:object(rights)), -l the object's std_info string.  Default
 * pathname: the working directory.  Exit 1 if any pathname failed.
 */
#include <unistd.h>

#include <module/prv.h>
#include <sp_dir.h>

#include "../cmdlib.h"

static int fl_c, fl_d, fl_k, fl_l, fl_r, fl_u, fl_x;	/* the options */

/* The -x, -k and -l parts of an entry's line, for its capset cs. */
static void
dir_about(capset *cs)
{
	capability cap;
	char info[128];
	errstat err;
	int i, cur = 0;

	for (i = 0; i < cs->cs_final; i++)
		cur += cs->cs_suite[i].s_current != 0;
	if (fl_x)
		printf(" %d,%d,%d", cs->cs_initial, cur, cs->cs_final);
	if (cs_to_cap(cs, &cap) != STD_OK)
		return;
	if (fl_k) {
		printf(" ");
		for (i = 0; i < PORTSIZE; i++)
			printf("%02x", cap.cap_port._portbytes[i]);
		printf(":%ld(%02x)", (long)prv_number(&cap.cap_priv),
		       (unsigned)cap.cap_priv.prv_rights);
	}
	if (fl_l) {
		err = std_info(&cap, info, sizeof(info) - 1, NULL);
		if (err == STD_OK || err == STD_OVERFLOW)
			printf("  %s", info);
		else
			printf("  (%s)", err_why(err));
	}
}

/* One line for row r of directory dd (cs: the directory). */
static void
dir_row(SP_DIR *dd, struct sp_direct *r)
{
	capset ecs;
	errstat err;
	int c;

	printf("%-20s", r->d_name);
	for (c = 0; fl_c && c < dd->dd_ncols; c++)
		printf(" %-6x", (unsigned)r->d_columns[c]);
	if (fl_k || fl_l || fl_x) {
		err = sp_lookup(&dd->dd_capset, r->d_name, &ecs);
		if (err == STD_OK) {
			dir_about(&ecs);
			cs_free(&ecs);
		} else {
			printf("  (%s)", err_why(err));
		}
	}
	printf("\n");
}

static SP_DIR *dir_sorting;	/* the directory qsort is ordering */

static int
dir_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int d = fl_u ? x - y : strcmp(dir_sorting->dd_rows[x].d_name,
				      dir_sorting->dd_rows[y].d_name);

	return fl_r ? -d : d;
}

/* List the directory cs; 0 or 1. */
static int
dir_list(const char *path, capset *cs)
{
	SP_DIR *dd;
	errstat err;
	int *order, i;

	if ((err = sp_list(cs, &dd)) != STD_OK)
		return cmd_err(path, err);
	order = calloc((size_t)dd->dd_nrows + 1, sizeof(int));
	if (order == NULL) {
		sp_closedir(dd);
		return cmd_err(path, STD_NOMEM);
	}
	for (i = 0; i < dd->dd_nrows; i++)
		order[i] = i;
	dir_sorting = dd;
	qsort(order, (size_t)dd->dd_nrows, sizeof(int), dir_cmp);
	if (fl_c) {
		printf("%-20s", "");
		for (i = 0; i < dd->dd_ncols; i++)
			printf(" %-6s", dd->dd_colnames[i]);
		printf("\n");
	}
	for (i = 0; i < dd->dd_nrows; i++)
		dir_row(dd, &dd->dd_rows[order[i]]);
	free(order);
	sp_closedir(dd);
	return 0;
}

/* Show one pathname: its directory's entries, or the entry itself. */
static int
dir_path(const char *path)
{
	capability cap;
	capset cs;
	errstat err;
	char kind;
	int status = 0;

	if ((err = sp_lookup(SP_DEFAULT, path, &cs)) != STD_OK)
		return cmd_err(path, err);
	err = cs_to_cap(&cs, &cap);
	if (err == STD_OK)
		err = cmd_kind(&cap, &kind);
	if (err == STD_OK && cmd_isdir(kind) && !fl_d) {
		status = dir_list(path, &cs);
	} else {
		printf("%-20s", path);
		dir_about(&cs);
		printf("\n");
	}
	cs_free(&cs);
	return status;
}

int
main(int argc, char **argv)
{
	int c, i, status = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "cdklrux")) != -1) {
		switch (c) {
		case 'c': fl_c = 1; break;
		case 'd': fl_d = 1; break;
		case 'k': fl_k = 1; break;
		case 'l': fl_l = 1; break;
		case 'r': fl_r = 1; break;
		case 'u': fl_u = 1; break;
		case 'x': fl_x = 1; break;
		default: return cmd_usage("[-cdklrux] [pathname ...]");
		}
	}
	if (optind == argc)
		status = dir_path(".");
	for (i = optind; i < argc; i++)
		status |= dir_path(argv[i]);
	fflush(stdout);
	return status;
}
