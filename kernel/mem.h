/*
 * mem.h - physical pages and the kernel heap.
 *
 * Physical memory is identity-mapped (virtual = physical) for the kernel
 * below KERNEL_MAP_END, so a page's physical address is also a pointer.
 * Pages come from the multiboot memory map; the kernel image, the boot
 * modules, the first page and the ISA hole stay reserved.
 * Concurrency: every function here disables interrupts inside.
 */
#ifndef KERNEL_MEM_H
#define KERNEL_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KERNEL_MAP_END 0x40000000u /* identity map: 0 .. 1 GiB */
#define USER_BASE 0x40000000u      /* user space: 1 GiB .. 3 GiB */
#define USER_END 0xC0000000u

/* page_init: mark [start, end) of physical memory as usable. */
void page_add_range(uint32_t start, uint32_t end);
/* page_reserve: take [start, end) out of the free pool. */
void page_reserve(uint32_t start, uint32_t end);
/* page_alloc: n physically contiguous zeroed pages, or 0 if none. */
uint32_t page_alloc(uint32_t n);
/* page_extend: take the `more` free pages just after pa_end (zeroed);
 * false if any of them is in use. */
bool page_extend(uint32_t pa_end, uint32_t more);
/* page_free: give back n pages starting at pa. */
void page_free(uint32_t pa, uint32_t n);
uint32_t page_free_count(void);
uint32_t page_total_count(void);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif /* KERNEL_MEM_H */
