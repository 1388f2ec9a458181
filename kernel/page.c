/*
 * page.c - the physical page allocator: one bit per 4 KiB page of the
 * first GiB, first fit for runs of contiguous pages with a rotating
 * start hint.  Segments and DMA buffers both need contiguous runs.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"

#define NPAGES (KERNEL_MAP_END / PAGE_SIZE)

static uint32_t used_map[NPAGES / 32]; /* 1 = in use or not RAM */
static uint32_t nfree, ntotal;
static uint32_t hint;

static inline int
page_used(uint32_t pn)
{
	return (used_map[pn / 32] >> (pn % 32)) & 1;
}

static inline void
page_set(uint32_t pn, int used)
{
	if (used)
		used_map[pn / 32] |= 1u << (pn % 32);
	else
		used_map[pn / 32] &= ~(1u << (pn % 32));
}

/* Everything starts as used; page_add_range frees the RAM ranges. */
static int map_ready;

static void
map_init(void)
{
	if (!map_ready) {
		memset(used_map, 0xFF, sizeof(used_map));
		map_ready = 1;
	}
}

void
page_add_range(uint32_t start, uint32_t end)
{
	map_init();
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end > KERNEL_MAP_END || end < start)
		end = end < start ? start : KERNEL_MAP_END;
	for (uint32_t pn = start / PAGE_SIZE; pn < end / PAGE_SIZE; pn++) {
		if (page_used(pn)) {
			page_set(pn, 0);
			nfree++;
			ntotal++;
		}
	}
}

void
page_reserve(uint32_t start, uint32_t end)
{
	map_init();
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end > KERNEL_MAP_END)
		end = KERNEL_MAP_END;
	for (uint32_t pn = start / PAGE_SIZE; pn < end / PAGE_SIZE; pn++) {
		if (!page_used(pn)) {
			page_set(pn, 1);
			nfree--;
			ntotal--;
		}
	}
}

static uint32_t
find_run(uint32_t from, uint32_t to, uint32_t n)
{
	uint32_t run = 0;

	for (uint32_t pn = from; pn < to; pn++) {
		if (run == 0 && (pn % 32) == 0 && used_map[pn / 32] == ~0u) {
			pn += 31;
			continue;
		}
		if (page_used(pn)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return pn + 1 - n;
	}
	return 0;
}

uint32_t
page_alloc(uint32_t n)
{
	uint32_t f, pn;

	if (n == 0 || n > NPAGES)
		return 0;
	f = arch_irq_save();
	pn = find_run(hint, NPAGES, n);
	if (pn == 0)
		pn = find_run(1, hint + n < NPAGES ? hint + n : NPAGES, n);
	if (pn == 0) {
		arch_irq_restore(f);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++)
		page_set(pn + i, 1);
	nfree -= n;
	hint = pn + n;
	arch_irq_restore(f);
	memset((void *)(pn * PAGE_SIZE), 0, n * PAGE_SIZE);
	return pn * PAGE_SIZE;
}

/*
 * page_extend: take the `more` pages that follow a run ending at pa_end,
 * if all are free (zeroed, as page_alloc's); true if taken.  A segment
 * grows in place this way, without a copy and without needing a new run
 * as large as the whole grown segment beside the old one.
 */
bool
page_extend(uint32_t pa_end, uint32_t more)
{
	uint32_t f, pn = pa_end / PAGE_SIZE;

	KASSERT((pa_end & (PAGE_SIZE - 1)) == 0);
	if (more == 0 || pn + more > NPAGES || pn + more < pn)
		return false;
	f = arch_irq_save();
	for (uint32_t i = 0; i < more; i++)
		if (page_used(pn + i)) {
			arch_irq_restore(f);
			return false;
		}
	for (uint32_t i = 0; i < more; i++)
		page_set(pn + i, 1);
	nfree -= more;
	if (hint >= pn && hint < pn + more)
		hint = pn + more;
	arch_irq_restore(f);
	memset((void *)pa_end, 0, more * PAGE_SIZE);
	return true;
}

void
page_free(uint32_t pa, uint32_t n)
{
	uint32_t f = arch_irq_save();

	KASSERT((pa & (PAGE_SIZE - 1)) == 0);
	for (uint32_t pn = pa / PAGE_SIZE; pn < pa / PAGE_SIZE + n; pn++) {
		KASSERT(page_used(pn));
		page_set(pn, 0);
	}
	nfree += n;
	arch_irq_restore(f);
}

uint32_t
page_free_count(void)
{
	return nfree;
}

uint32_t
page_total_count(void)
{
	return ntotal;
}
