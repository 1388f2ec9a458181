/*
 * mv - move directory entries (Amoeba's mv).
 *
 *   mv obj1 obj2
 *   mv obj ... directory
 *
 * Only directory entries move; no object is copied.  The entry keeps
 * its capset and column masks (sp_getmasks, sp_append); an existing
 * target entry is replaced (sp_replace), the object it held is left
 * alone.  Then the old entry is deleted.
 */
#include <unistd.h>

#include "../cmdlib.h"

/* The last component of path (trailing slashes ignored), in buf. */
static const char *
mv_base(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	const char *s;

	while (len > 1 && path[len - 1] == '/')
		len--;
	snprintf(buf, n, "%.*s", (int)len, path);
	s = strrchr(buf, '/');
	return s ? s + 1 : buf;
}

/* Enter src's capset under dst (new or replaced), then delete src. */
static int
mv_one(const char *src, const char *dst)
{
	rights_bits m[SP_MAXCOLUMNS];
	capset cs = { 0, 0, NULL }, old;
	errstat err;

	if (strcmp(src, dst) == 0)
		return cmd_msg(dst, "source and target are the same");
	err = sp_lookup(SP_DEFAULT, src, &cs);
	if (err == STD_OK)
		err = sp_getmasks(SP_DEFAULT, src, SP_MAXCOLUMNS, m);
	if (err != STD_OK) {
		cs_free(&cs);
		return cmd_err(src, err);
	}
	if (sp_lookup(SP_DEFAULT, dst, &old) == STD_OK) {
		cs_free(&old);
		err = sp_replace(SP_DEFAULT, dst, &cs);
	} else {
		err = sp_append(SP_DEFAULT, dst, &cs, SP_MAXCOLUMNS, m);
	}
	cs_free(&cs);
	if (err != STD_OK)
		return cmd_err(dst, err);
	if ((err = sp_delete(SP_DEFAULT, src)) != STD_OK)
		return cmd_err(src, err);
	return 0;
}

int
main(int argc, char **argv)
{
	char base[256], path[1024];
	const char *target;
	capability cap;
	int i, isdir, status = 0;
	char kind = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind < 2)
		return cmd_usage("obj1 obj2\n       mv obj ... directory");
	target = argv[argc - 1];
	isdir = name_lookup((char *)target, &cap) == STD_OK &&
		cmd_kind(&cap, &kind) == STD_OK && cmd_isdir(kind);
	if (!isdir && argc - optind > 2)
		return cmd_msg(target, "not a directory");
	if (!isdir)
		return mv_one(argv[optind], target);
	for (i = optind; i < argc - 1; i++) {
		snprintf(path, sizeof(path), "%s/%s", target,
			 mv_base(argv[i], base, sizeof(base)));
		status |= mv_one(argv[i], path);
	}
	return status;
}
