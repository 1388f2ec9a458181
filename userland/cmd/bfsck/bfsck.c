/*
 * bfsck - check a Bullet file system (Amoeba's bfsck, BS_FSCK).
 *
 *   bfsck [-n node] [bullet_server]
 *
 * BS_FSCK needs the Bullet super-capability with all rights: the one at
 * path bullet_server, else the one in the superblock of the disk of
 * node (-n; default this node, through its kernel directory), else
 * DEF_BULLETSVR.  Files that break the rules are deleted by the server,
 * which names them on its console; bfsck prints nothing unless the
 * check fails.
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	const char *node = NULL, *what;
	capability cap;
	errstat err;
	int c;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n')
			return cmd_usage("[-n node] [bullet_server]");
		node = optarg;
	}
	if (argc - optind > 1 || (node != NULL && argc - optind == 1))
		return cmd_usage("[-n node] [bullet_server]");
	if (optind < argc) {
		what = argv[optind];
		err = name_lookup(argv[optind], &cap);
	} else {
		what = node ? node : "this node's disk";
		err = bullet_local_supercap(node, &cap);
		if (err != STD_OK && node == NULL) {
			what = DEF_BULLETSVR;
			err = name_lookup(DEF_BULLETSVR, &cap);
		}
	}
	if (err == STD_OK)
		err = b_fsck(&cap);
	return err == STD_OK ? 0 : cmd_err(what, err);
}
