/*
 * server/direct/direct.h - the buffer size of the old single-capability
 * directory interface (module/direct.h), which VX maps onto SOAP.
 */
#ifndef SERVER_DIRECT_DIRECT_H
#define SERVER_DIRECT_DIRECT_H

#include <amoeba.h>

#define DIR_BUFFER	512		/* largest name + capability */

#endif /* SERVER_DIRECT_DIRECT_H */
