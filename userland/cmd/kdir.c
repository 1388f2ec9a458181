/*
 * kdir - look names up in a node's kernel directory, or list it.
 *
 *   kdir [-m NODE]            the entries (SP_LIST), one per line
 *   kdir [-m NODE] NAME...    NAME and its capability (32 hex digits)
 *
 * The node is -m NODE, else $VX_NODE, else "vx"; it is found by port
 * alone (module/kdir.h).  Exit status 1 if a lookup fails.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/header.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <server/soap/soap.h>

#include "cmdutil.h"

/* Print one SP_LIST reply's rows; the next row to ask for, or -1. */
static int
list_part(char *rep, int32 n, const header *h)
{
	char *p = rep, *end = rep + n, *col, *name;
	int16 ncols, nrows;
	int32 rights;

	p = buf_get_int16(p, end, &ncols);
	p = buf_get_int16(p, end, &nrows);
	for (int i = 0; p != NULL && i < ncols; i++)
		p = buf_get_string(p, end, &col);
	while (p != NULL && p < end) {
		p = buf_get_string(p, end, &name);
		for (int i = 0; p != NULL && i < ncols; i++)
			p = buf_get_int32(p, end, &rights);
		if (p != NULL)
			printf("%s\n", name);
	}
	return h->h_extra == 0xFFFF ? -1 : h->h_extra;
}

static int
list(const char *node)
{
	char rep[8192];
	capability dir;
	header h;
	int row = 0;
	int32 n;

	host_kdir_cap(node, &dir);
	while (row >= 0) {
		hdr_init(&h, &dir, SP_LIST);
		h.h_extra = (uint16)row;
		n = rpc_trans(&h, NULL, 0, &h, rep, sizeof(rep));
		if (n >= 0 && ERR_STATUS(h.h_status))
			n = ERR_CONVERT(h.h_status);
		if (n < 0) {
			fprintf(stderr, "kdir: %s\n", err_why(n));
			return 1;
		}
		row = list_part(rep, n, &h);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char buf[CMD_CAPSTR];
	const char *node;
	capability cap;
	int i = cmd_node(argc, argv, &node), bad = 0;

	if (i < argc && argv[i][0] == '-') {
		fprintf(stderr, "usage: %s [-m node] [name...]\n", argv[0]);
		return 2;
	}
	if (i == argc)
		return list(node);
	for (; i < argc; i++) {
		errstat e = cmd_cap(node, argv[i], &cap);

		if (e != STD_OK) {
			fprintf(stderr, "%s: %s\n", argv[i], err_why(e));
			bad = 1;
			continue;
		}
		printf("%s %s\n", argv[i], cmd_capstr(&cap, buf));
	}
	return bad;
}
