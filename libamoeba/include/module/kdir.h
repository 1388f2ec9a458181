/*
 * module/kdir.h - find a node's kernel servers through its kernel
 * directory.
 *
 * Every VX node runs a kernel directory whose capability anyone can
 * compute from the node name (the kernel option node=NAME, "vx" by
 * default): its get-port is the FNV-1a-64 hash of "vx:kdir:" + name
 * truncated to 6 bytes (little-endian), the capability is { F(get-port),
 * object 0, all rights, check = F(get-port) }.  It answers SP_LOOKUP for
 * the names "proc", "sys", "random", "tod", "tty", ...
 *
 * A NULL node means the local default: $VX_NODE if set, else "vx".
 */
#ifndef MODULE_KDIR_H
#define MODULE_KDIR_H

#include <amoeba.h>

#define KDIR_DEFAULT_NODE "vx"
#define KDIR_PORT_PREFIX "vx:kdir:"

/* kdir_getport - the get-port of node's kernel directory (node != NULL). */
void kdir_getport(const char *node, port *get);
/* kdir_cap - the capability of node's kernel directory (node != NULL). */
void kdir_cap(const char *node, capability *cap);
/*
 * kdir_find - SP_LOOKUP of one entry in the kernel directory dir.
 * STD_OK, STD_NOTFOUND, an RPC error, or STD_SYSERR for a bad reply.
 */
errstat kdir_find(const capability *dir, const char *name, capability *cap);

/* host_kdir_cap - kdir_cap with the default node for NULL (user only). */
void host_kdir_cap(const char *node, capability *cap);

/*
 * kdir_lookup - the capability of the entry name (e.g. "random") in
 * node's kernel directory (user only; NULL node = the default).  STD_OK, STD_NOTFOUND, an RPC error, or
 * STD_SYSERR for a malformed reply.
 */
errstat kdir_lookup(const char *node, const char *name, capability *cap);

#endif /* MODULE_KDIR_H */
