/*
 * std_status - print a server's status (Amoeba's std_status).
 *
 *   std_status server
 *
 * server is a path naming the server's capability; its STD_STATUS text
 * (at most 5000 bytes, by convention) goes to standard output.
 */
#include <unistd.h>

#include "../cmdlib.h"

#define STATUS_MAX 5000

int
main(int argc, char **argv)
{
	static char buf[STATUS_MAX + 1];
	capability cap;
	errstat err;
	int len = 0;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind != 1)
		return cmd_usage("server");
	err = name_lookup(argv[optind], &cap);
	if (err == STD_OK)
		err = std_status(&cap, buf, STATUS_MAX, &len);
	if (err != STD_OK)
		return cmd_err(argv[optind], err);
	if (len < 0 || len > STATUS_MAX)
		len = 0;
	fwrite(buf, 1, (size_t)len, stdout);
	if (len > 0 && buf[len - 1] != '\n')
		printf("\n");
	return 0;
}
