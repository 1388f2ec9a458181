/*
 * tod.c - the time-of-day server's client stubs (module/tod.h).  The
 * server: tod_setcap's, else TOD in the capability environment, else
 * the node's kernel server "tod".  The reply of TOD_GETTIME: seconds in
 * h_offset, milliseconds in h_size, the daylight-saving flag in h_extra
 * (server/tod/tod.h).
 */
#include <stddef.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/header.h>
#include <module/kdir.h>
#include <module/mutex.h>
#include <module/rpc.h>
#include <module/tod.h>
#include <server/tod/tod.h>

static mutex tod_mu;
static capability tod_cap;	/* the server (under tod_mu) */
static int tod_have_cap;	/* tod_cap is set (under tod_mu) */

static errstat
tod_find(capability *cap)
{
	capability *c;
	errstat err = STD_OK;

	mu_lock(&tod_mu);
	if (!tod_have_cap) {
		c = getcap("TOD");
		if (c != NULL)
			tod_cap = *c;
		else
			err = kdir_lookup(NULL, TOD_SVR_NAME, &tod_cap);
		tod_have_cap = err == STD_OK;
	}
	*cap = tod_cap;
	mu_unlock(&tod_mu);
	return err;
}

void
tod_setcap(capability *cap)
{
	if (cap == NULL)
		return;
	mu_lock(&tod_mu);
	tod_cap = *cap;
	tod_have_cap = 1;
	mu_unlock(&tod_mu);
}

errstat
tod_defcap(void)
{
	capability cap;

	mu_lock(&tod_mu);
	tod_have_cap = 0;
	mu_unlock(&tod_mu);
	return tod_find(&cap);
}

/* One header-only transaction to the server; its status. */
static errstat
tod_call(header *h)
{
	capability cap;
	errstat err = tod_find(&cap);
	bufsize r;

	if (err != STD_OK)
		return err;
	h->h_port = cap.cap_port;
	h->h_priv = cap.cap_priv;
	r = trans(h, NILBUF, 0, h, NILBUF, 0);
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	return ERR_CONVERT(h->h_status);
}

errstat
tod_gettime(long *seconds, int *millisecs, int *tz, int *dst)
{
	header h = { 0 };
	errstat err;

	if (seconds == NULL || millisecs == NULL || tz == NULL || dst == NULL)
		return STD_ARGBAD;
	h.h_command = TOD_GETTIME;
	err = tod_call(&h);
	if (err != STD_OK)
		return err;
	*seconds = (long)h.h_offset;
	*millisecs = (int)h.h_size;
	*tz = 0;
	*dst = (int)h.h_extra;
	return STD_OK;
}

errstat
tod_settime(long seconds, int millisecs)
{
	header h = { 0 };

	h.h_command = TOD_SETTIME;
	h.h_offset = (int32)seconds;
	h.h_size = (bufsize)millisecs;
	return tod_call(&h);
}
