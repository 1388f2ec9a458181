/*
 * cmdline.h - the kernel command line.
 *
 * Loaders pass it differently: QEMU -kernel and iPXE put the image name or
 * URL first, GRUB does not.  cmdline_parse skips such a leading token.
 * Options are `key=value` or bare `flag` words; `init=NAME args...` takes
 * the rest of the line.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

#define CMDLINE_MAX 1024
#define CMDLINE_MAXOPT 32

/* cmdline_parse: take a copy of raw and split it into options. */
void cmdline_parse(const char *raw);
/* cmdline_get: an option's value, "" for a bare flag, NULL if absent. */
const char *cmdline_get(const char *key);
/* cmdline_int: an option's numeric value, or def if absent or not a number. */
long cmdline_int(const char *key, long def);
/* cmdline_init: everything after "init=", or NULL. */
const char *cmdline_init(void);
/*
 * cmdline_split: cut line (modified in place) into at most max words at
 * blanks; argv gets them and a NULL after the last.  Returns the count.
 */
int cmdline_split(char *line, const char **argv, int max);
/* cmdline_raw: the line as the loader gave it. */
const char *cmdline_raw(void);
/* cmdline_node: this node's name (`node=NAME`; "vx" when not given). */
const char *cmdline_node(void);

#endif /* KERNEL_CMDLINE_H */
