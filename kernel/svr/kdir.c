/*
 * kdir.c - the kernel directory of a node ("%" in std_info): the names
 * and capabilities of the node's kernel servers (proc, sys, random, tod,
 * tty, vdisk:NN ...), answering SP_LIST and SP_LOOKUP (spec 7.2) with
 * one column.
 *
 * Its port is derived from the node name, so any machine on the FLIP
 * network that knows a node's name reaches its kernel directory without
 * configuration (kdir_getport, module/kdir.h); like Amoeba's public hosts directory, it is
 * readable by anyone on the (trusted) network.  Its capability is
 * { put-port P, object 0, all rights, check P }.
 */
#include <string.h>

#include "kernel/klib.h"
#include "kernel/svr/ksvr.h"
#include <module/buffers.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <server/soap/soap.h>
#include <stderr.h>

#define KDIR_MAX 32
#define KDIR_NAME 24

static struct {
	char name[KDIR_NAME];
	capability cap;
} entries[KDIR_MAX];
static int nentries;
static char info[64];

void
kdir_add(const char *name, const capability *cap)
{
	if (nentries == KDIR_MAX) {
		kprintf("kdir: table full, %s not listed\n", name);
		return;
	}
	strncpy(entries[nentries].name, name, KDIR_NAME - 1);
	entries[nentries].cap = *cap;
	nentries++;
}

void
kdir_serve(struct ksvr *s)
{
	capability cap;

	ksvr_start(s);
	ksvr_cap(s, PRV_ALL_RIGHTS, &cap);
	kdir_add(s->name, &cap);
}


static uint32_t
kdir_do_list(struct ksvr_req *r)
{
	char *p = (char *)r->rep, *end = p + r->repmax;
	int first = r->h->h_extra, i;

	p = buf_put_int16(p, end, 1);
	p = buf_put_int16(p, end, (int16)nentries);
	p = buf_put_string(p, end, "all");
	for (i = first; i < nentries && p; i++) {
		char *q = buf_put_string(p, end, entries[i].name);

		q = buf_put_int32(q, end, 0xFF);
		if (q == NULL)
			break;
		p = q;
	}
	r->h->h_extra = (uint16)(i >= nentries ? 0xFFFF : i);
	r->h->h_status = p ? STD_OK : (command)STD_OVERFLOW;
	return p ? (uint32_t)(p - (char *)r->rep) : 0;
}

static uint32_t
kdir_do_lookup(struct ksvr_req *r)
{
	char name[KDIR_NAME + 1];
	char *p = (char *)r->rep, *end = p + r->repmax;
	uint32_t n = MIN(r->reqlen, KDIR_NAME);

	memcpy(name, r->req, n);
	name[n] = 0;
	if (n && name[0] == '/')
		memmove(name, name + 1, n);
	for (int i = 0; i < nentries; i++) {
		if (strcmp(entries[i].name, name) != 0)
			continue;
		p = buf_put_string(p, end, "");
		p = buf_put_int16(p, end, 1);
		p = buf_put_int16(p, end, 1);
		p = buf_put_cap(p, end, &entries[i].cap);
		p = buf_put_int16(p, end, 1);
		r->h->h_status = STD_OK;
		return (uint32_t)(p - (char *)r->rep);
	}
	r->h->h_status = (command)STD_NOTFOUND;
	return 0;
}

static uint32_t
kdir_handle(struct ksvr *s, struct ksvr_req *r)
{
	(void)s;
	switch (r->h->h_command) {
	case SP_LIST:
		return kdir_do_list(r);
	case SP_LOOKUP:
		return kdir_do_lookup(r);
	default:
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
}

static struct ksvr kdir = {
	.name = "%kdir",
	.info = info,
	.nthreads = 1,
	.handle = kdir_handle,
};

void
kdir_init(const char *node)
{
	ksnprintf(info, sizeof(info), "%% kernel directory of %s", node);
	kdir_getport(node, &kdir.getport);
	priv2pub(&kdir.getport, &kdir.random); /* public: check = put-port */
	ksvr_start(&kdir);
}
