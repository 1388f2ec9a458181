/*
 * server/tod/tod.h - the time-of-day server: TOD_GETTIME replies with
 * seconds since 1970 in h_offset, milliseconds in h_size and the DST
 * flag in h_extra.
 */
#ifndef SERVER_TOD_TOD_H
#define SERVER_TOD_TOD_H

#include <cmdreg.h>

#define TOD_SVR_NAME "tod"
#define TOD_GETTIME (TOD_FIRST_COM)
#define TOD_SETTIME (TOD_FIRST_COM + 1)

#endif /* SERVER_TOD_TOD_H */
