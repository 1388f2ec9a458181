/*
 * module/rpc.h - the Amoeba RPC calls (spec 3.10).
 *
 * trans/getreq/putrep take 16-bit sizes, at most 30000 bytes each; the
 * rpc_* variants take 32-bit sizes.  Errors come back negative: check
 * the old calls with ERR_STATUS() and convert with ERR_CONVERT().  These
 * are system calls; the user library and kernel implement them.
 */
#ifndef MODULE_RPC_H
#define MODULE_RPC_H

#include <amoeba.h>

/* trans, getreq, putrep and timeout are declared in amoeba.h. */

int32 rpc_trans(header *req, bufptr rbuf, f_size_t rn,
		header *rep, bufptr pbuf, f_size_t pn);
int32 rpc_getreq(header *h, bufptr buf, f_size_t n);
errstat rpc_putrep(header *h, bufptr buf, f_size_t n);

#endif /* MODULE_RPC_H */
