/*
 * ktutil.c - helpers shared by the in-kernel tests: kernel-directory
 * lookups and simple transactions.
 */
#include <string.h>

#include "knet.h"
#include "ksvr.h"
#include "ktutil.h"
#include <module/buffers.h>
#include <module/prv.h>
#include <server/soap/soap.h>
#include <stderr.h>

extern const char *node_name;

errstat
kt_lookup(const char *name, capability *cap)
{
	char rep[128], *p = rep, *end, *rest;
	header h;
	int32_t n;
	int16 initial, final;

	memset(&h, 0, sizeof(h));
	kdir_port(node_name, &h.h_port);
	prv_encode(&h.h_priv, 0, PRV_ALL_RIGHTS, &h.h_port);
	h.h_command = SP_LOOKUP;
	n = ktrans(&h, name, (uint32_t)strlen(name), &h, rep, sizeof(rep));
	if (n < 0)
		return n;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	end = rep + n;
	p = buf_get_string(p, end, &rest);
	p = buf_get_int16(p, end, &initial);
	p = buf_get_int16(p, end, &final);
	p = buf_get_cap(p, end, cap);
	return p && final == 1 ? STD_OK : STD_ARGBAD;
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
