/*
 * kmalloc.c - the kernel heap: power-of-two size classes from 32 bytes
 * to 2 KiB carved out of single pages; larger requests get whole pages.
 * Every block starts with a header naming its class (or page count), so
 * kfree needs no size.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"

#define MIN_SHIFT 5
#define MAX_SHIFT 11
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define HDR 16 /* keeps 16-byte alignment for fxsave areas */
#define MAGIC 0x6B6D616Cu

struct blk_hdr {
	uint32_t magic;
	uint32_t cls;    /* size class, or NCLASS for whole pages */
	uint32_t npages; /* for whole-page blocks */
	uint32_t pad;
};

struct free_blk {
	struct free_blk *next;
};

static struct free_blk *free_list[NCLASS];

static int
size_class(size_t total)
{
	for (int c = 0; c < NCLASS; c++)
		if (total <= (1u << (c + MIN_SHIFT)))
			return c;
	return -1;
}

static int
refill(int c)
{
	uint32_t pa = page_alloc(1);
	uint32_t sz = 1u << (c + MIN_SHIFT);

	if (pa == 0)
		return -1;
	for (uint32_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct free_blk *b = (struct free_blk *)(pa + off);

		b->next = free_list[c];
		free_list[c] = b;
	}
	return 0;
}

void *
kmalloc(size_t size)
{
	struct blk_hdr *h;
	int c = size_class(size + HDR);
	uint32_t f;

	if (size > 256u * 1024 * 1024)
		return NULL;
	if (c < 0) {
		uint32_t n = (uint32_t)((size + HDR + PAGE_SIZE - 1) / PAGE_SIZE);
		uint32_t pa = page_alloc(n);

		if (pa == 0)
			return NULL;
		h = (struct blk_hdr *)pa;
		h->magic = MAGIC;
		h->cls = NCLASS;
		h->npages = n;
		return (char *)h + HDR;
	}
	f = arch_irq_save();
	if (free_list[c] == NULL && refill(c) < 0) {
		arch_irq_restore(f);
		return NULL;
	}
	h = (struct blk_hdr *)free_list[c];
	free_list[c] = free_list[c]->next;
	arch_irq_restore(f);
	h->magic = MAGIC;
	h->cls = (uint32_t)c;
	return (char *)h + HDR;
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void
kfree(void *p)
{
	struct blk_hdr *h;
	uint32_t f;

	if (p == NULL)
		return;
	h = (struct blk_hdr *)((char *)p - HDR);
	if (h->magic != MAGIC)
		panic("kfree: bad block %p", p);
	h->magic = 0;
	if (h->cls == NCLASS) {
		page_free((uint32_t)h, h->npages);
		return;
	}
	f = arch_irq_save();
	((struct free_blk *)h)->next = free_list[h->cls];
	free_list[h->cls] = (struct free_blk *)h;
	arch_irq_restore(f);
}
