/*
 * kdir.c - client side of the kernel directory (see module/kdir.h):
 * host_kdir_cap computes a node's kernel-directory capability from its
 * name, kdir_lookup asks it for one entry with SP_LOOKUP.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <server/soap/soap.h>

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
	uint64_t h = 0xCBF29CE484222325ull;
	const char *s;
	port get;
	int i;

	for (s = "vx:kdir:"; *s; s++)
		h = (h ^ (uint8)*s) * 0x100000001B3ull;
	for (s = node_or_default(node); *s; s++)
		h = (h ^ (uint8)*s) * 0x100000001B3ull;
	for (i = 0; i < PORTSIZE; i++)
		get._portbytes[i] = (uint8)(h >> (8 * i));
	priv2pub(&get, &cap->cap_port);
	prv_encode(&cap->cap_priv, 0, PRV_ALL_RIGHTS, &cap->cap_port);
}

errstat
kdir_lookup(const char *node, const char *name, capability *cap)
{
	char rep[128];
	char *p, *end, *s;
	capability dir;
	header h;
	int16 nsuite, ncap, pref;
	int32 n;

	if (name == NULL || cap == NULL)
		return STD_ARGBAD;
	host_kdir_cap(node, &dir);
	memset(&h, 0, sizeof(h));
	h.h_port = dir.cap_port;
	h.h_priv = dir.cap_priv;
	h.h_command = SP_LOOKUP;
	n = rpc_trans(&h, (bufptr)name, (f_size_t)strlen(name), &h, rep,
		      sizeof(rep));
	if (n < 0)
		return n;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	/* str "" (path left), i16 1, i16 1 (capset), cap, i16 preference */
	p = rep;
	end = rep + n;
	p = buf_get_string(p, end, &s);
	p = buf_get_int16(p, end, &nsuite);
	p = buf_get_int16(p, end, &ncap);
	p = buf_get_cap(p, end, cap);
	p = buf_get_int16(p, end, &pref);
	if (p == NULL || nsuite < 1 || ncap < 1)
		return STD_SYSERR;
	return STD_OK;
}
