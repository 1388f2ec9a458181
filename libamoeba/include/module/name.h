/*
 * module/name.h - path names to capabilities, relative to ROOT ("/...")
 * or WORK (libamoeba/stubs/name.c, over the sp_* stubs).
 */
#ifndef MODULE_NAME_H
#define MODULE_NAME_H

#include <amoeba.h>

errstat name_append(char *name, capability *cap);
char *name_breakpath(char *path, capability *dir);
errstat cwd_set(char *path);
errstat name_create(char *name);
errstat name_delete(char *name);
errstat name_lookup(char *name, capability *cap);
errstat name_remove(char *name);
errstat name_replace(char *name, capability *cap);

#endif /* MODULE_NAME_H */
