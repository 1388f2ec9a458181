/*
 * kdir.c - the kernel directory's port and its lookup (module/kdir.h).
 * Portable: the kernel derives its own directory's port with the same
 * function every client uses, so the two cannot drift apart, and kernel
 * code looks entries up with the same stub as user programs.
 *
 * Entry points: kdir_getport, kdir_cap, kdir_find.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/header.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <server/soap/soap.h>

#define FNV_OFFSET	0xCBF29CE484222325ull	/* FNV-1a-64 */
#define FNV_PRIME	0x100000001B3ull

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8)*s) * FNV_PRIME;
	return h;
}

void
kdir_getport(const char *node, port *get)
{
	uint64_t h = fnv1a(fnv1a(FNV_OFFSET, KDIR_PORT_PREFIX), node);

	for (int i = 0; i < PORTSIZE; i++)
		get->_portbytes[i] = (uint8)(h >> (8 * i));
}

void
kdir_cap(const char *node, capability *cap)
{
	port get;

	kdir_getport(node, &get);
	priv2pub(&get, &cap->cap_port);
	prv_encode(&cap->cap_priv, 0, PRV_ALL_RIGHTS, &cap->cap_port);
}

errstat
kdir_find(const capability *dir, const char *name, capability *cap)
{
	char rep[128];
	char *p, *end, *s;
	header h;
	int16 nsuite, ncap, pref;
	int32 n;

	if (name == NULL || cap == NULL)
		return STD_ARGBAD;
	hdr_init(&h, dir, SP_LOOKUP);
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
