/*
 * module/direct.h - the old directory interface with one capability per
 * entry (Amoeba's dir_* calls), implemented over SOAP
 * (libamoeba/stubs/name.c): a NULL or zero directory capability means
 * "start from ROOT or WORK" as the path says.  dir_open/dir_next/
 * dir_close list the names of a directory.
 */
#ifndef MODULE_DIRECT_H
#define MODULE_DIRECT_H

#include <amoeba.h>
#include <server/direct/direct.h>

struct dir_open {
	capability dircap;		/* the directory being listed */
	char *next, *last;		/* cursor in buf and its end */
	long offset;			/* first row of the next SP_LIST */
	char buf[DIR_BUFFER];		/* names of the current batch */
};

capability *dir_origin(const char *path);
errstat dir_append(capability *dir, char *name, capability *cap);
char *dir_breakpath(capability *dir, char *path, capability *last);
errstat dir_create(capability *server, capability *newdir);
errstat dir_delete(capability *dir, char *name);
errstat dir_lookup(capability *dir, char *name, capability *cap);
errstat dir_replace(capability *dir, char *name, capability *cap);
struct dir_open *dir_open(capability *dir);
char *dir_next(struct dir_open *d);
errstat dir_close(struct dir_open *d);
errstat dir_rewind(struct dir_open *d);

#endif /* MODULE_DIRECT_H */
