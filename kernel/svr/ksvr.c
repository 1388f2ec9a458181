/*
 * ksvr.c - the kernel-server loop (see ksvr.h).
 */
#include <string.h>

#include "kernel/klib.h"
#include "kernel/net/knet.h"
#include "kernel/krandom.h"
#include "kernel/svr/ksvr.h"
#include "kernel/mem.h"
#include "kernel/thread.h"
#include <module/prv.h>
#include <stdcom.h>
#include <stderr.h>

void
ksvr_cap(const struct ksvr *s, rights_bits rights, capability *cap)
{
	cap->cap_port = s->putport;
	prv_encode(&cap->cap_priv, 0, rights, &s->random);
}

errstat
ksvr_check(const struct ksvr *s, const header *h, rights_bits *r)
{
	rights_bits dummy;

	if (prv_number(&h->h_priv) != 0 ||
	    prv_decode(&h->h_priv, r ? r : &dummy, &s->random) < 0)
		return STD_CAPBAD;
	return STD_OK;
}

/* The standard commands on the server capability; -1 if not one. */
static int32_t
ksvr_standard(struct ksvr *s, struct ksvr_req *r)
{
	header *h = r->h;
	uint32_t n;

	if (prv_number(&h->h_priv) != 0)
		return -1;
	switch (h->h_command) {
	case STD_INFO:
		if (ksvr_check(s, h, NULL) != STD_OK)
			break;
		n = (uint32_t)ksnprintf((char *)r->rep, r->repmax, "%s",
					s->info);
		h->h_status = STD_OK;
		return (int32_t)MIN(n, r->repmax - 1);
	case STD_STATUS:
		if (ksvr_check(s, h, NULL) != STD_OK)
			break;
		h->h_status = STD_OK;
		n = (uint32_t)ksnprintf((char *)r->rep, r->repmax,
					"%s: %u requests served\n", s->info,
					s->served);
		n = MIN(n, r->repmax - 1);
		if (s->status)
			n += s->status(s, (char *)r->rep + n, r->repmax - n);
		return (int32_t)n;
	case STD_RESTRICT:
		h->h_status = (command)prv_restrict_server(
			&h->h_priv, h->h_offset, &s->random, &h->h_priv);
		h->h_port = s->putport;
		return 0;
	default:
		return -1;
	}
	h->h_status = (command)STD_CAPBAD;
	return 0;
}

static void
ksvr_loop(void *arg)
{
	struct ksvr *s = arg;
	uint8_t *req = kmalloc(KSVR_REQMAX), *rep = kmalloc(KSVR_REPMAX);
	header h;

	if (req == NULL || rep == NULL)
		panic("ksvr %s: no memory", s->name);
	for (;;) {
		struct ksvr_req r = { &h, req, 0, rep, KSVR_REPMAX };
		int32_t n;

		memset(&h, 0, sizeof(h));
		h.h_port = s->getport;
		n = kgetreq(&h, req, KSVR_REQMAX);
		if (n < 0) {
			thread_msleep(10);
			continue;
		}
		r.reqlen = (uint32_t)n;
		s->served++;
		n = ksvr_standard(s, &r);
		if (n < 0)
			n = (int32_t)s->handle(s, &r);
		kputrep(&h, rep, (uint32_t)n);
	}
}

void
ksvr_start(struct ksvr *s)
{
	static const port null;

	if (memcmp(&s->getport, &null, sizeof(port)) == 0) /* not preset */
		krandom(&s->getport, sizeof(port));
	priv2pub(&s->getport, &s->putport);
	if (memcmp(&s->random, &null, sizeof(port)) == 0)
		krandom(&s->random, sizeof(port));
	for (int i = 0; i < (s->nthreads ? s->nthreads : 1); i++)
		thread_create_kernel(s->name, ksvr_loop, s, PRIO_HIGH);
}
