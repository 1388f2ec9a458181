/*
 * module/tod.h - the time-of-day server's client stubs (Amoeba 5.3's
 * module/tod.h).
 *
 * tod_gettime: seconds since 1970, milliseconds, the time zone (minutes
 * west of Greenwich; VX keeps UTC, so 0) and the daylight-saving flag,
 * from the server tod_setcap named, else TOD in the capability
 * environment, else the node's kernel time-of-day server (tod_defcap
 * goes back to that choice).  tod_settime: TOD_SETTIME (VX's server
 * does not let the time be set and answers STD_COMBAD).
 */
#ifndef MODULE_TOD_H
#define MODULE_TOD_H

#include <amoeba.h>

errstat tod_defcap(void);
errstat tod_gettime(long *seconds, int *millisecs, int *tz, int *dst);
void tod_setcap(capability *cap);
errstat tod_settime(long seconds, int millisecs);

#endif /* MODULE_TOD_H */
