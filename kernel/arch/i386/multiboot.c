/*
 * multiboot.c - read the multiboot v1 information: command line, modules
 * and memory map.  Usable RAM goes to the page allocator; the kernel
 * image, the modules (and their strings), page 0 and the ISA hole stay
 * reserved.  The modules are copied nowhere: they stay where the loader
 * put them.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/boot.h"
#include "kernel/klib.h"
#include "kernel/mem.h"

#define MB_BOOT_MAGIC 0x2BADB002u
#define MBF_MEM 0x001u
#define MBF_CMDLINE 0x004u
#define MBF_MODS 0x008u
#define MBF_MMAP 0x040u
#define MBF_LOADER 0x200u

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, loader_name;
};

struct mb_mod {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct boot_info boot_info;
extern const char kernel_start[], kernel_end[];

static void
reserve_string(const char *s)
{
	if (s)
		page_reserve((uint32_t)s, (uint32_t)s + strlen(s) + 1);
}

static void
add_memory(const struct mb_info *mb)
{
	if (mb->flags & MBF_MMAP) {
		uint32_t p = mb->mmap_addr;

		while (p < mb->mmap_addr + mb->mmap_length) {
			const struct mb_mmap *m = (const struct mb_mmap *)p;

			if (m->type == 1 && m->addr < KERNEL_MAP_END) {
				uint64_t end = m->addr + m->len;

				if (end > KERNEL_MAP_END)
					end = KERNEL_MAP_END;
				page_add_range((uint32_t)m->addr,
					       (uint32_t)end);
			}
			p += m->size + 4;
		}
	} else if (mb->flags & MBF_MEM) {
		page_add_range(0, mb->mem_lower * 1024);
		page_add_range(0x100000, 0x100000 + mb->mem_upper * 1024);
	}
	boot_info.mem_kb = (mb->flags & MBF_MEM) ? mb->mem_upper : 0;
}

void
arch_boot_parse(uint32_t magic, uint32_t info)
{
	const struct mb_info *mb = (const struct mb_info *)info;

	if (magic != MB_BOOT_MAGIC)
		panic("not started by a multiboot loader (magic %x)", magic);
	add_memory(mb);
	page_reserve(0, 0x1000);
	page_reserve(0xA0000, 0x100000);
	page_reserve((uint32_t)kernel_start, (uint32_t)kernel_end);
	page_reserve(info, info + sizeof(*mb));
	if (mb->flags & MBF_MMAP)
		page_reserve(mb->mmap_addr, mb->mmap_addr + mb->mmap_length);
	boot_info.cmdline = (mb->flags & MBF_CMDLINE) ? (const char *)mb->cmdline
						      : "";
	reserve_string(boot_info.cmdline);
	if (mb->flags & MBF_LOADER) {
		boot_info.loader = (const char *)mb->loader_name;
		reserve_string(boot_info.loader);
	}
	if (!(mb->flags & MBF_MODS))
		return;
	const struct mb_mod *mods = (const struct mb_mod *)mb->mods_addr;
	page_reserve(mb->mods_addr, mb->mods_addr + mb->mods_count * sizeof(*mods));
	for (uint32_t i = 0; i < mb->mods_count && i < BOOT_MAXMOD; i++) {
		struct boot_module *bm;

		if (mods[i].end < mods[i].start ||
		    mods[i].end > KERNEL_MAP_END) { /* not where we can see it */
			kprintf("multiboot: module %u out of range, ignored\n", i);
			continue;
		}
		bm = &boot_info.mod[boot_info.nmod++];
		bm->start = mods[i].start;
		bm->end = mods[i].end;
		bm->args = mods[i].string ? (const char *)mods[i].string : "";
		page_reserve(bm->start, bm->end);
		reserve_string(bm->args);
	}
}
