/*
 * std_restrict - store a capability with fewer rights (Amoeba's
 * std_restrict).
 *
 *   std_restrict original mask newcap
 *
 * The server of the capability at path original makes one whose rights
 * are its rights AND mask (hexadecimal); it is entered under newcap.
 */
#include <unistd.h>

#include "../cmdlib.h"

int
main(int argc, char **argv)
{
	capability cap, out;
	unsigned long mask;
	errstat err;
	char *end;

	cmd_init(argv);
	opterr = 0;
	if (getopt(argc, argv, "") != -1 || argc - optind != 3)
		return cmd_usage("original mask newcap");
	mask = strtoul(argv[optind + 1], &end, 16);
	if (end == argv[optind + 1] || *end != 0 || mask > 0xFF)
		return cmd_err(argv[optind + 1], STD_ARGBAD);
	if ((err = name_lookup(argv[optind], &cap)) != STD_OK ||
	    (err = std_restrict(&cap, (rights_bits)mask, &out)) != STD_OK)
		return cmd_err(argv[optind], err);
	if ((err = name_append(argv[optind + 2], &out)) != STD_OK)
		return cmd_err(argv[optind + 2], err);
	return 0;
}
