/*
 * module/stdcmd.h - client stubs of the standard commands (spec 5).
 */
#ifndef MODULE_STDCMD_H
#define MODULE_STDCMD_H

#include <amoeba.h>

/* std_info: the object's description string (NUL-terminated in buf). */
errstat std_info(capability *cap, char *buf, int n, int *len);
/* std_status: the server's status text (NUL-terminated in buf). */
errstat std_status(capability *cap, char *buf, int n, int *len);
errstat std_destroy(capability *cap);
errstat std_touch(capability *cap);
errstat std_age(capability *cap);
/* std_restrict: *out = cap with rights & mask (locally when possible). */
errstat std_restrict(capability *cap, rights_bits mask, capability *out);
/*
 * std_copy: ask server to make a new object with the contents of the
 * object orig names (on any server of its kind); *newcap is the copy.
 */
errstat std_copy(capability *server, capability *orig, capability *newcap);

#endif /* MODULE_STDCMD_H */
