/*
 * rep.h - the replicated SOAP server on the group layer (rep.c): soap
 * -r N runs as one of N replicas behind the one public port.
 */
#ifndef USERLAND_SERVERS_SOAP_REP_H
#define USERLAND_SERVERS_SOAP_REP_H

#include <module/mutex.h>
#include "sps.h"

/* Put the replica's clock and secrets under io (before sps_start). */
void rep_io(struct sps_io *io);
/* Join (or create) the group, catch up, serve with nserve threads;
 * never returns.  lock serialises every use of s. */
void rep_run(struct sps *s, mutex *lock, int nrep, int nserve);

#endif /* USERLAND_SERVERS_SOAP_REP_H */
