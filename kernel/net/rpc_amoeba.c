/*
 * amcompat.c - the Amoeba RPC API (module/rpc.h) for kernel code, so the
 * portable client stubs (std_info and friends) work inside the kernel:
 * each call is the blocking kernel call of knet.c.
 */
#include <amoeba.h>
#include <module/rpc.h>
#include "kernel/net/knet.h"

bufsize
trans(header *req, bufptr rbuf, bufsize rn, header *rep, bufptr pbuf,
      bufsize pn)
{
	return (bufsize)ktrans(req, rbuf, rn, rep, pbuf, pn);
}

bufsize
getreq(header *h, bufptr buf, bufsize n)
{
	return (bufsize)kgetreq(h, buf, n);
}

void
putrep(header *h, bufptr buf, bufsize n)
{
	kputrep(h, buf, n);
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
