/*
 * module/header.h - building a request header (a VX helper; Amoeba's
 * stubs fill the fields by hand).
 */
#ifndef MODULE_HEADER_H
#define MODULE_HEADER_H

#include <amoeba.h>

/*
 * hdr_init - a zeroed header addressed to the object cap names (h_port,
 * h_priv) with command cmd.
 */
void hdr_init(header *h, const capability *cap, command cmd);

#endif /* MODULE_HEADER_H */
