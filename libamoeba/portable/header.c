/*
 * header.c - hdr_init (module/header.h): the request header every
 * client stub starts from.  Portable: kernel, host and user programs.
 */
#include <string.h>

#include <module/header.h>

void
hdr_init(header *h, const capability *cap, command cmd)
{
	memset(h, 0, sizeof(*h));
	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
}
