/*
 * rndsvr.c - the random server: RND_GETRANDOM answers up to MAX_RANDOM
 * bytes from the kernel's entropy pool (kernel/krandom.c).
 * Entry point: rndsvr_init.
 */
#include "kernel/krandom.h"
#include <stddef.h>

#include "kernel/svr/ksvr.h"
#include <server/random/random.h>
#include <stderr.h>

static uint32_t
rnd_handle(struct ksvr *s, struct ksvr_req *r)
{
	uint32_t n = r->h->h_size;

	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	if (r->h->h_command != RND_GETRANDOM) {
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
	if (n > MAX_RANDOM)
		n = MAX_RANDOM;
	krandom(r->rep, n);
	r->h->h_status = STD_OK;
	r->h->h_size = (bufsize)n;
	return n;
}

static struct ksvr rnd_svr = {
	.name = RANDOM_SVR_NAME, .info = "random number server",
	.nthreads = 1, .handle = rnd_handle,
};

void
rndsvr_init(void)
{
	kdir_serve(&rnd_svr);
}
