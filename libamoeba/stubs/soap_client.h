/*
 * soap_client.h - private to the SOAP client stubs (soap.c, sp_dir.c,
 * name.c) and their host test: the transaction helper, path
 * normalisation and the public root of a SOAP server.
 */
#ifndef LIBAMOEBA_STUBS_SOAP_CLIENT_H
#define LIBAMOEBA_STUBS_SOAP_CLIENT_H

#include <stddef.h>
#include <amoeba.h>
#include <capset.h>
#include <server/soap/soapsvr.h>

#define SP_PATHMAX	1023		/* longest path the stubs take */

errstat sp_mktrans(int ntries, capset *dir, header *hdr, int cmd,
		   const char *in, int insize, char *out, int outsize,
		   int *replen);
errstat sp_path_norm(const char *path, char *out, size_t max);

#endif /* LIBAMOEBA_STUBS_SOAP_CLIENT_H */
