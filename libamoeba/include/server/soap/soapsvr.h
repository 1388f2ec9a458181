/*
 * server/soap/soapsvr.h - how a VX client finds a SOAP server without
 * configuration.  Server NAME (default "soap") serves on the get-port
 * FNV-1a("vx:soap:" NAME) (sp_publicport).  Besides its directories it
 * has one public object, number SP_PUBOBJ, whose check field is the
 * put-port itself (like the kernel directory's): a read-only directory
 * of one row, SP_PUBROOT, holding the root directory with all rights.
 * As with the kernel directory, anyone on the (trusted) FLIP network
 * can reach it.
 */
#ifndef SERVER_SOAP_SOAPSVR_H
#define SERVER_SOAP_SOAPSVR_H

#include <amoeba.h>
#include <capset.h>

#define SP_DEFSERVER	"soap"		/* server name when none is given */
#define SP_PUBOBJ	MAX_OBJNUM	/* the public object */
#define SP_PUBROOT	"root"		/* its one row */
#define SP_NAMEMAX	255		/* longest entry name (NAME_MAX) */

void sp_publicport(const char *name, port *getport);
errstat sp_publiccap(const char *name, capset *root);

#endif /* SERVER_SOAP_SOAPSVR_H */
