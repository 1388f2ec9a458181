/*
 * std_destroy - destroy objects and delete their entries (Amoeba's
 * std_destroy).
 *
 *   std_destroy objectcap ...
 *
 * For each path: STD_DESTROY on the capability it names, then, if that
 * worked, the directory entry is deleted.  Each failure is reported
 * (looking up, destroying, deleting the entry); exit 1 after any.
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	capability cap;
	errstat err;
	int i, status = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || optind == argc)
		return cmd_usage("objectcap ...");
	for (i = optind; i < argc; i++) {
		if ((err = name_lookup(argv[i], &cap)) != STD_OK) {
			status = cmd_err(argv[i], err);
			continue;
		}
		if ((err = std_destroy(&cap)) != STD_OK) {
			status = cmd_err(argv[i], err);
			continue;
		}
		if ((err = name_delete(argv[i])) != STD_OK)
			status = cmd_err(argv[i], err);
	}
	return status;
}
