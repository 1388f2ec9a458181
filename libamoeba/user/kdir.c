/*
 * kdir.c - the kernel directory for user programs (module/kdir.h): the
 * default node ($VX_NODE, else "vx") and the one-call lookup.
 */
#include <stdlib.h>

#include <amoeba.h>
#include <module/kdir.h>

static const char *
node_or_default(const char *node)
{
	if (node == NULL || node[0] == 0) {
		node = getenv("VX_NODE");
		if (node == NULL || node[0] == 0)
			node = KDIR_DEFAULT_NODE;
	}
	return node;
}

void
host_kdir_cap(const char *node, capability *cap)
{
	kdir_cap(node_or_default(node), cap);
}

errstat
kdir_lookup(const char *node, const char *name, capability *cap)
{
	capability dir;

	host_kdir_cap(node, &dir);
	return kdir_find(&dir, name, cap);
}
