/*
 * boot.h - what the loader handed over: memory, modules, command line.
 */
#ifndef KERNEL_ARCH_BOOT_H
#define KERNEL_ARCH_BOOT_H

#include <stdint.h>

#define BOOT_MAXMOD 8

struct boot_module {
	uint32_t start;      /* physical address of the contents */
	uint32_t end;        /* one past the last byte */
	const char *args;    /* the module's string (loader-dependent) */
};

struct boot_info {
	const char *cmdline;        /* the kernel command line */
	const char *loader;         /* boot loader name, if given */
	int nmod;
	struct boot_module mod[BOOT_MAXMOD];
	uint32_t mem_kb;            /* RAM above 1 MiB, in KiB */
};

extern struct boot_info boot_info;

/* arch_boot_parse: read the multiboot information; feeds the page pool. */
void arch_boot_parse(uint32_t magic, uint32_t info);

#endif /* KERNEL_ARCH_BOOT_H */
