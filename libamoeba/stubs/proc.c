/*
 * proc.c - client stubs of the process server (module/proc.h).
 * Portable: kernel code and user programs.
 *
 * Entry points: pro_getdef, pro_getload, pro_getowner, pro_setowner,
 * pro_stun, pro_swapproc.
 */
#include <stddef.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/header.h>
#include <module/proc.h>

/* A transaction whose reply is all in the header; its status. */
static errstat
pro_call(capability *cap, command cmd, header *h, bufptr buf, int n)
{
	bufsize r;

	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	r = trans(h, buf, n, h, NILBUF, 0);
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	return ERR_CONVERT(h->h_status);
}

errstat
pro_getdef(capability *host, int *log2pagesize, int *first, int *last)
{
	header h = { 0 };
	errstat err = pro_call(host, PS_GETDEF, &h, NILBUF, 0);

	if (err == STD_OK) {
		*log2pagesize = h.h_size;
		*first = h.h_extra;
		*last = h.h_offset;
	}
	return err;
}

errstat
pro_getload(capability *host, long *ips, long *loadav, long *mfree)
{
	header h = { 0 };
	errstat err = pro_call(host, PS_GETLOAD, &h, NILBUF, 0);

	if (err == STD_OK) {
		*ips = (long)h.h_extra * 1024;
		*loadav = (long)h.h_size;
		*mfree = h.h_offset;
	}
	return err;
}

errstat
pro_getowner(capability *proc, capability *owner)
{
	header h = { 0 };
	errstat err = pro_call(proc, PS_GETOWNER, &h, NILBUF, 0);

	if (err == STD_OK) {
		owner->cap_port = h.h_port;
		owner->cap_priv = h.h_priv;
	}
	return err;
}

errstat
pro_setowner(capability *proc, capability *owner)
{
	header h = { 0 };

	return pro_call(proc, PS_SETOWNER, &h, (bufptr)owner,
			(int)sizeof(*owner));
}

errstat
pro_stun(capability *proc, long detail)
{
	header h = { 0 };

	h.h_offset = (int32)detail;
	return pro_call(proc, PS_STUN, &h, NILBUF, 0);
}

errstat
pro_swapproc(capability *host, capability *oldproc, capability *newproc)
{
	capability pair[2];
	header h = { 0 };

	pair[0] = *oldproc;
	pair[1] = *newproc;
	return pro_call(host, PS_SWAPPROC, &h, (bufptr)pair,
			(int)sizeof(pair));
}
