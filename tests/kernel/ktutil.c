/*
 * ktutil.c - helpers shared by the in-kernel tests: kernel-directory
 * lookups and simple transactions.
 */
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/net/knet.h"
#include "ktutil.h"
#include <module/kdir.h>
#include <stderr.h>

errstat
kt_lookup(const char *name, capability *cap)
{
	capability dir;

	kdir_cap(cmdline_node(), &dir);
	return kdir_find(&dir, name, cap);
}

errstat
kt_simple(const capability *cap, command cmd, header *h)
{
	int32_t n;

	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	n = ktrans(h, NULL, 0, h, NULL, 0);
	if (n < 0)
		return n;
	return ERR_CONVERT(h->h_status);
}

int
kt_contains(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text; text++)
		if (strncmp(text, word, n) == 0)
			return 1;
	return 0;
}
