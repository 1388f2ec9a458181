/*
 * module/host.h - find a host (a node) by name (Amoeba 5.3's
 * module/host.h).
 *
 * host_lookup: the capability of the node's kernel directory, whose
 * entries are the node's kernel servers ("proc", "random", "tod", ...;
 * dir_lookup or kdir_find reads them).  A name with a '/' is a path in
 * the directory graph (Amoeba's hosts were entries of HOST_DIR); a plain
 * name is a node name (module/kdir.h), checked by asking its kernel
 * directory for "proc", so an unknown or switched-off node gives an
 * error (RPC_NOTFOUND), not a capability nobody serves.
 * super_host_lookup: the same (VX's kernel directory capability already
 * has all rights).
 */
#ifndef MODULE_HOST_H
#define MODULE_HOST_H

#include <amoeba.h>

errstat host_lookup(char *host_name, capability *cap);
errstat super_host_lookup(char *host_name, capability *cap);

#endif /* MODULE_HOST_H */
