/*
 * host.c - host_lookup and super_host_lookup (module/host.h): a node's
 * kernel directory by its name or by a path.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/host.h>
#include <module/kdir.h>
#include <module/name.h>
#include <server/process/proc.h>

errstat
host_lookup(char *host_name, capability *cap)
{
	capability proc;

	if (host_name == NULL || cap == NULL || host_name[0] == 0)
		return STD_ARGBAD;
	if (strchr(host_name, '/') != NULL)
		return name_lookup(host_name, cap);
	kdir_cap(host_name, cap);
	return kdir_find(cap, PROCESS_SVR_NAME, &proc);
}

errstat
super_host_lookup(char *host_name, capability *cap)
{
	return host_lookup(host_name, cap);
}
