/*
 * getcap.c - look a capability up in the process's capability list;
 * run_capv (module/run.h): that list, for the programs it starts.
 */
#include <string.h>
#include <caplist.h>
#include <module/run.h>

capability *
getcap(const char *name)
{
	struct caplist *c;

	if (name == NULL)
		return NULL;
	for (c = vx_capv; c != NULL && c->cl_name != NULL; c++)
		if (strcmp(c->cl_name, name) == 0)
			return c->cl_cap;
	return NULL;
}

struct caplist *
run_capv(void)
{
	return vx_capv;
}
