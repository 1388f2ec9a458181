/*
 * todsvr.c - the time-of-day server: TOD_GETTIME answers seconds since
 * 1970 in h_offset and milliseconds in h_size.  Entry point: todsvr_init.
 */
#include "kernel/clock.h"
#include <stddef.h>

#include "kernel/svr/ksvr.h"
#include <server/tod/tod.h>
#include <stderr.h>

static uint32_t
tod_handle(struct ksvr *s, struct ksvr_req *r)
{
	int64_t sec;
	int32_t usec;

	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	if (r->h->h_command != TOD_GETTIME) {
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
	clock_tod(&sec, &usec);
	r->h->h_offset = (int32)sec;
	r->h->h_size = (bufsize)(usec / 1000);
	r->h->h_extra = 0;
	r->h->h_status = STD_OK;
	return 0;
}

static struct ksvr tod_svr = {
	.name = TOD_SVR_NAME, .info = "time of day server",
	.nthreads = 1, .handle = tod_handle,
};

void
todsvr_init(void)
{
	kdir_serve(&tod_svr);
}
