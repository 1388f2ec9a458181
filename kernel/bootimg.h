/*
 * bootimg.h - the boot image: the programs (Amoeba executables) in the
 * boot module, found by name, and starting one of them as a process.
 */
#ifndef KERNEL_BOOTIMG_H
#define KERNEL_BOOTIMG_H

#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>

struct proc_exit;

void bootimg_init(void);
/* bootimg_find: the executable called name; STD_OK or STD_NOTFOUND. */
errstat bootimg_find(const char *name, const uint8_t **data, size_t *len);
int bootimg_count(void);
const char *bootimg_name(int i);
/*
 * bootimg_run: start argv[0] with argv and the capability environment
 * caps[0..ncaps), wait for its end (*ex).
 */
struct cap_env;
struct proc;
errstat bootimg_run(const char *const *argv, const struct cap_env *caps,
		    int ncaps, struct proc_exit *ex);

/*
 * bootimg_start: start argv[0] (environment HOME, PATH and VX_NODE=node)
 * without waiting; NULL with *err if it cannot.
 */
struct proc *bootimg_start(const char *const *argv,
			   const struct cap_env *caps, int ncaps,
			   errstat *err);

#endif /* KERNEL_BOOTIMG_H */
