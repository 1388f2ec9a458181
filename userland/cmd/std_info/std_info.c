/*
 * std_info - print the standard information string of objects
 * (Amoeba's std_info).
 *
 *   std_info object ...
 *
 * Each object is a path; its capability's server answers STD_INFO ("/"
 * a SOAP directory, "%" a kernel directory, "-" a Bullet file, ...).
 * With several objects each line starts with the path.
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	char info[256];
	capability cap;
	errstat err;
	int i, status = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || optind == argc)
		return cmd_usage("object ...");
	for (i = optind; i < argc; i++) {
		err = name_lookup(argv[i], &cap);
		if (err == STD_OK)
			err = std_info(&cap, info, sizeof(info) - 1, NULL);
		if (err == STD_OVERFLOW)
			err = STD_OK;
		if (err != STD_OK) {
			status = cmd_err(argv[i], err);
			continue;
		}
		if (argc - optind > 1)
			printf("%s: ", argv[i]);
		printf("%s\n", info);
	}
	return status;
}
