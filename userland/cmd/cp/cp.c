/*
 * cp - copy files (Amoeba's cp).
 *
 *   cp file1 file2
 *   cp file ... directory
 *
 * The source, a Bullet file, is read whole and stored as a new
 * committed file on the default Bullet server under the target name;
 * an existing target is replaced (sp_replace) and, when it was a Bullet
 * file, destroyed.  A file cannot be copied to itself.
 */
#include <unistd.h>

#include "../cmdlib.h"

/* The last component of path (trailing slashes ignored), in buf. */
static const char *
cp_base(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	const char *s;

	while (len > 1 && path[len - 1] == '/')
		len--;
	snprintf(buf, n, "%.*s", (int)len, path);
	s = strrchr(buf, '/');
	return s ? s + 1 : buf;
}

/* Copy the file src to dst. */
static int
cp_one(const char *src, const char *dst)
{
	capability from, to, old;
	b_fsize len;
	errstat err;
	char *buf, kind;

	if ((err = name_lookup((char *)src, &from)) != STD_OK)
		return cmd_err(src, err);
	if ((err = cmd_kind(&from, &kind)) != STD_OK)
		return cmd_err(src, err);
	if (kind != '-')
		return cmd_msg(src, "not a file");
	if (name_lookup((char *)dst, &to) == STD_OK &&
	    memcmp(&to, &from, CAPSIZE) == 0)
		return cmd_msg(dst, "cannot copy a file to itself");
	if ((err = cmd_load(&from, &buf, &len)) != STD_OK)
		return cmd_err(src, err);
	err = cmd_store(dst, buf, len, 1, &old);
	free(buf);
	if (err != STD_OK)
		return cmd_err(dst, err);
	if (cmd_kind(&old, &kind) == STD_OK && kind == '-')
		std_destroy(&old);
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
		return cmd_usage("file1 file2\n       cp file ... directory");
	target = argv[argc - 1];
	isdir = name_lookup((char *)target, &cap) == STD_OK &&
		cmd_kind(&cap, &kind) == STD_OK && cmd_isdir(kind);
	if (!isdir && argc - optind > 2)
		return cmd_msg(target, "not a directory");
	if (!isdir)
		return cp_one(argv[optind], target);
	for (i = optind; i < argc - 1; i++) {
		snprintf(path, sizeof(path), "%s/%s", target,
			 cp_base(argv[i], base, sizeof(base)));
		status |= cp_one(argv[i], path);
	}
	return status;
}
