/*
 * cmdutil.c - naming objects and printing capabilities for the commands
 * (cmdutil.h).
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/kdir.h>

#include "cmdutil.h"

int
cmd_node(int argc, char **argv, const char **node)
{
	int i = 1;

	*node = NULL;
	while (i < argc && strncmp(argv[i], "-m", 2) == 0) {
		if (argv[i][2] != 0) {
			*node = argv[i] + 2;
			i++;
		} else if (i + 1 < argc) {
			*node = argv[i + 1];
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* 32 hex digits; 0, or -1 if arg is something else. */
static int
parse_hex(const char *arg, capability *cap)
{
	uint8 *b = (uint8 *)cap;

	if (strlen(arg) != 2 * CAPSIZE)
		return -1;
	for (int i = 0; i < CAPSIZE; i++) {
		int hi = hexval(arg[2 * i]), lo = hexval(arg[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8)(hi << 4 | lo);
	}
	return 0;
}

errstat
cmd_cap(const char *node, const char *arg, capability *cap)
{
	if (parse_hex(arg, cap) == 0)
		return STD_OK;
	if (strcmp(arg, "%") == 0) {
		host_kdir_cap(node, cap);
		return STD_OK;
	}
	return kdir_lookup(node, arg, cap);
}

char *
cmd_capstr(const capability *cap, char buf[CMD_CAPSTR])
{
	static const char hex[] = "0123456789abcdef";
	const uint8 *b = (const uint8 *)cap;

	for (int i = 0; i < CAPSIZE; i++) {
		buf[2 * i] = hex[b[i] >> 4];
		buf[2 * i + 1] = hex[b[i] & 15];
	}
	buf[2 * CAPSIZE] = 0;
	return buf;
}

/* One name's text; 0, or 1 with a message. */
static int
std_text_one(const char *node, const char *name, int many,
	     errstat (*fn)(capability *, char *, int, int *))
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
cmd_std_text(int argc, char **argv,
	     errstat (*fn)(capability *, char *, int, int *))
{
	const char *node;
	int i = cmd_node(argc, argv, &node), bad = 0;

	if (i >= argc) {
		fprintf(stderr, "usage: %s [-m node] name...\n", argv[0]);
		return 2;
	}
	for (int k = i; k < argc; k++)
		bad |= std_text_one(node, argv[k], argc - i > 1, fn);
	return bad;
}
