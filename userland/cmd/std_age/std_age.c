/*
 * std_age - age a server's objects (Amoeba's std_age).
 *
 *   std_age server_cap
 *
 * STD_AGE on the capability at path server_cap (usually a server's
 * super-capability with all rights): objects not touched for the
 * server's maximum lifetime are destroyed.
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	capability cap;
	errstat err;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind != 1)
		return cmd_usage("server_cap");
	err = name_lookup(argv[optind], &cap);
	if (err == STD_OK)
		err = std_age(&cap);
	return err == STD_OK ? 0 : cmd_err(argv[optind], err);
}
