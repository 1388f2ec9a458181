/*
 * std_info - print the STD_INFO string of each object named.
 *
 *   std_info [-m NODE] NAME...
 *
 * NAME is an entry of the node's kernel directory (sys, proc, tty, ...),
 * "%" for the directory itself, or a capability as 32 hex digits.  The
 * node is -m NODE, else $VX_NODE, else "vx".  Exit status 1 if any fails.
 */
#include <stdio.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/stdcmd.h>

#include "cmdutil.h"

static int
show(const char *node, const char *name, int many, errstat (*fn)(
	     capability *, char *, int, int *))
{
	char buf[8192];
	capability cap;
	errstat e;
	int len;

	e = cmd_cap(node, name, &cap);
	if (e == STD_OK)
		e = fn(&cap, buf, (int)sizeof(buf), &len);
	if (e != STD_OK) {
		fprintf(stderr, "%s: %s\n", name, err_why(e));
		return 1;
	}
	if (many)
		printf("%s: ", name);
	printf("%s\n", buf);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *node;
	int i = cmd_node(argc, argv, &node), bad = 0;

	if (i >= argc) {
		fprintf(stderr, "usage: %s [-m node] name...\n", argv[0]);
		return 2;
	}
	for (int k = i; k < argc; k++)
		bad |= show(node, argv[k], argc - i > 1, std_info);
	return bad;
}
