/*
 * rpc_amoeba.c - the Amoeba RPC API (amoeba.h, module/rpc.h) for kernel
 * code, so the portable client stubs (std_info and friends) work inside
 * the kernel: each call is the blocking kernel call of knet.c.  The old
 * calls take sizes up to MAX_OLD_BUFSIZE, as the system calls do.
 */
#include <amoeba.h>
#include <module/rpc.h>
#include "kernel/net/knet.h"

static int
old_size_ok(_bufsize n)
{
	return n >= 0 && n <= MAX_OLD_BUFSIZE;
}

bufsize
trans(header *req, bufptr rbuf, _bufsize rn, header *rep, bufptr pbuf,
      _bufsize pn)
{
	if (!old_size_ok(rn) || !old_size_ok(pn))
		return (bufsize)STD_OVERFLOW;
	return (bufsize)ktrans(req, rbuf, (uint32_t)rn, rep, pbuf,
			       (uint32_t)pn);
}

bufsize
getreq(header *h, bufptr buf, _bufsize n)
{
	if (!old_size_ok(n))
		return (bufsize)STD_OVERFLOW;
	return (bufsize)kgetreq(h, buf, (uint32_t)n);
}

void
putrep(header *h, bufptr buf, _bufsize n)
{
	kputrep(h, buf, old_size_ok(n) ? (uint32_t)n : 0);
}

interval
timeout(interval ms)
{
	return ktimeout(ms);
}

int32
rpc_trans(header *req, bufptr rbuf, f_size_t rn, header *rep, bufptr pbuf,
	  f_size_t pn)
{
	if (rn < 0 || pn < 0)
		return STD_ARGBAD;
	return ktrans(req, rbuf, (uint32_t)rn, rep, pbuf, (uint32_t)pn);
}

int32
rpc_getreq(header *h, bufptr buf, f_size_t n)
{
	return n < 0 ? STD_ARGBAD : kgetreq(h, buf, (uint32_t)n);
}

errstat
rpc_putrep(header *h, bufptr buf, f_size_t n)
{
	return n < 0 ? STD_ARGBAD : kputrep(h, buf, (uint32_t)n);
}
