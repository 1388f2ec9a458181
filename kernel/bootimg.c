/*
 * bootimg.c - the boot image: a multiboot module holding the programs
 * (Amoeba executables) and configuration files a node starts from.
 *
 * Format (written by boot/tools/mkbootimg): magic "VXBOOT1\0", u32 count
 * (little-endian), then count entries of { char name[32]; u32 offset;
 * u32 size; }, offsets from the start of the image.  Every entry is
 * checked against the module's bounds at boot; a corrupt image is
 * reported and ignored, never trusted.
 */
#include <string.h>

#include "kernel/arch/boot.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include <stderr.h>
#include "kernel/bootimg.h"

#define BI_MAGIC "VXBOOT1"
#define BI_NAME 32
#define BI_MAXFILES 128

struct bi_entry {
	char name[BI_NAME];
	uint32_t offset;
	uint32_t size;
};

static const uint8_t *img;
static const struct bi_entry *entries;
static int nfiles;

/* Is there no NUL in the first n bytes (an unterminated name)? */
static int
memchr_nul(const char *s, size_t n)
{
	return strnlen(s, n) == n;
}

static int
valid(const uint8_t *base, uint32_t size)
{
	uint32_t count;

	if (size < 12 || memcmp(base, BI_MAGIC, 8) != 0)
		return -1;
	memcpy(&count, base + 8, 4);
	if (count > BI_MAXFILES || 12 + count * sizeof(struct bi_entry) > size)
		return -1;
	const struct bi_entry *e = (const struct bi_entry *)(base + 12);
	for (uint32_t i = 0; i < count; i++) {
		if (e[i].offset > size || e[i].size > size - e[i].offset ||
		    memchr_nul(e[i].name, BI_NAME))
			return -1;
	}
	return (int)count;
}

void
bootimg_init(void)
{
	for (int i = 0; i < boot_info.nmod; i++) {
		const struct boot_module *m = &boot_info.mod[i];
		int n = valid((const uint8_t *)m->start, m->end - m->start);

		if (n < 0) {
			if (m->end - m->start >= 8 &&
			    memcmp((const void *)m->start, "VXBOOT", 6) == 0)
				kprintf("bootimg: module %d is corrupt, ignored\n",
					i);
			continue;
		}
		img = (const uint8_t *)m->start;
		entries = (const struct bi_entry *)(img + 12);
		nfiles = n;
		kprintf("bootimg: %d file(s)\n", n);
		return;
	}
}

errstat
bootimg_find(const char *name, const uint8_t **data, size_t *len)
{
	for (int i = 0; i < nfiles; i++) {
		if (strncmp(entries[i].name, name, BI_NAME) == 0) {
			*data = img + entries[i].offset;
			*len = entries[i].size;
			return STD_OK;
		}
	}
	return STD_NOTFOUND;
}

int
bootimg_count(void)
{
	return nfiles;
}

const char *
bootimg_name(int i)
{
	return i >= 0 && i < nfiles ? entries[i].name : NULL;
}

/* The environment of a process the kernel starts: VX_NODE names the node. */
static const char *const *
boot_envp(void)
{
	static char node[48];
	static const char *envp[] = { "HOME=/", "PATH=/bin", node, NULL };

	ksnprintf(node, sizeof(node), "VX_NODE=%s", cmdline_node());
	return envp;
}

/*
 * bootimg_start: start argv[0] from the boot image with argv, the default
 * environment (HOME, PATH, VX_NODE) and the capability environment caps;
 * the running process, or NULL with *err (STD_NOTFOUND: no such program).
 */
struct proc *
bootimg_start(const char *const *argv, const struct cap_env *caps, int ncaps,
	      errstat *err)
{
	const uint8_t *image;
	size_t len;

	if (argv[0] == NULL || bootimg_find(argv[0], &image, &len) != STD_OK) {
		*err = STD_NOTFOUND;
		return NULL;
	}
	return proc_exec(image, len, argv[0], argv, boot_envp(), caps, ncaps,
			 PRIO_NORM, err);
}

/*
 * bootimg_run: bootimg_start, then wait for the process to end and fill
 * *ex.  STD_NOTFOUND if there is no such program.
 */
errstat
bootimg_run(const char *const *argv, const struct cap_env *caps, int ncaps,
	    struct proc_exit *ex)
{
	struct proc *p;
	errstat err;

	p = bootimg_start(argv, caps, ncaps, &err);
	if (p == NULL)
		return err;
	proc_wait(p, ex);
	return STD_OK;
}
