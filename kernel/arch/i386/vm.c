/*
 * vm.c - i386 paging.
 *
 * The kernel page directory identity-maps 0 .. 1 GiB (RAM) and
 * 3 GiB .. 4 GiB (device memory, uncached) with 4 MiB pages, supervisor
 * only.  Every process page directory copies those entries, so the kernel
 * is mapped in every address space; the user range 1 GiB .. 3 GiB gets
 * 4 KiB pages through per-process page tables.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/arch/vm.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"

#define PTE_P 0x001u
#define PTE_W 0x002u
#define PTE_U 0x004u
#define PTE_PWT 0x008u
#define PTE_PCD 0x010u
#define PTE_PS 0x080u
#define PTE_G 0x100u
#define CR0_PG 0x80000000u
#define CR0_WP 0x00010000u
#define CR4_PSE 0x10u
#define PDX(va) ((va) >> 22)
#define PTX(va) (((va) >> 12) & 0x3FF)

uint32_t *kernel_pgdir;
static bool batch;	/* vm_*_run: one TLB flush at the end, not per page */

void
arch_vm_init(void)
{
	uint32_t pd = page_alloc(1);

	if (pd == 0)
		panic("no page for the kernel page directory");
	kernel_pgdir = (uint32_t *)pd;
	for (uint32_t i = 0; i < PDX(KERNEL_MAP_END); i++)
		kernel_pgdir[i] = (i << 22) | PTE_P | PTE_W | PTE_PS;
	for (uint32_t i = PDX(USER_END); i < 1024; i++)
		kernel_pgdir[i] = (i << 22) | PTE_P | PTE_W | PTE_PS | PTE_PCD |
				  PTE_PWT;
	lcr4(rcr4() | CR4_PSE);
	lcr3(pd);
	lcr0(rcr0() | CR0_PG | CR0_WP);
}

uint32_t *
vm_pgdir_create(void)
{
	uint32_t *pd = (uint32_t *)page_alloc(1);

	if (pd == NULL)
		return NULL;
	memcpy(pd, kernel_pgdir, PAGE_SIZE);
	return pd;
}

void
vm_pgdir_destroy(uint32_t *pd)
{
	for (uint32_t i = PDX(USER_BASE); i < PDX(USER_END); i++)
		if (pd[i] & PTE_P)
			page_free(pd[i] & ~0xFFFu, 1);
	if (rcr3() == (uint32_t)pd)
		lcr3((uint32_t)kernel_pgdir);
	page_free((uint32_t)pd, 1);
}

static uint32_t *
pte_of(uint32_t *pd, uint32_t va, bool create)
{
	uint32_t *pde = &pd[PDX(va)];

	if (!(*pde & PTE_P)) {
		uint32_t pt;

		if (!create || (pt = page_alloc(1)) == 0)
			return NULL;
		*pde = pt | PTE_P | PTE_W | PTE_U;
	}
	return (uint32_t *)(*pde & ~0xFFFu) + PTX(va);
}

int
vm_map(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len, bool writable)
{
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *pte = pte_of(pd, va + off, true);

		if (pte == NULL || va + off < USER_BASE ||
		    va + off >= USER_END) {
			vm_unmap(pd, va, off);
			return -1;
		}
		*pte = (pa + off) | PTE_P | PTE_U | (writable ? PTE_W : 0);
		if (!batch && rcr3() == (uint32_t)pd)
			invlpg(va + off);
	}
	return 0;
}

/* vm_map_dev: like vm_map, writable and uncached (PCD, PWT): device memory. */
int
vm_map_dev(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len)
{
	if (vm_map(pd, va, pa, len, true) < 0)
		return -1;
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *pte = pte_of(pd, va + off, false);

		*pte |= PTE_PCD | PTE_PWT;
		if (rcr3() == (uint32_t)pd)
			invlpg(va + off);
	}
	return 0;
}

/* vm_reserve: make the page tables for [va, va+len); -1 if out of memory. */
int
vm_reserve(uint32_t *pd, uint32_t va, uint32_t len)
{
	uint32_t last;

	if (len == 0)
		return 0;
	if (__builtin_add_overflow(va, len - 1, &last) || va < USER_BASE ||
	    last >= USER_END)
		return -1;
	for (uint32_t pde = PDX(va); pde <= PDX(last); pde++)
		if (pte_of(pd, pde << 22, true) == NULL)
			return -1;
	return 0;
}

void
vm_unmap(uint32_t *pd, uint32_t va, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *pte = pte_of(pd, va + off, false);

		if (pte) {
			*pte = 0;
			if (!batch && rcr3() == (uint32_t)pd)
				invlpg(va + off);
		}
	}
}

/*
 * vm_map_run: vm_map for a run of pages whose entries are empty (not
 * present, which no TLB caches), so no TLB work at all.  vm_unmap_run:
 * vm_unmap without the per-page invlpg; the caller ends with vm_flush.
 * Under QEMU's TCG an invlpg near the kernel's 4 MiB pages flushes the
 * whole TLB anyway, so a run of them costs as many refills.
 */
int
vm_map_run(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len,
	   bool writable)
{
	int r;

	batch = true;
	r = vm_map(pd, va, pa, len, writable);
	batch = false;
	return r;
}

void
vm_unmap_run(uint32_t *pd, uint32_t va, uint32_t len)
{
	batch = true;
	vm_unmap(pd, va, len);
	batch = false;
}

/* vm_flush: drop pd's TLB entries if it is the current address space. */
void
vm_flush(uint32_t *pd)
{
	if (rcr3() == (uint32_t)pd)
		lcr3((uint32_t)pd);
}

/* vm_translate: physical address behind user va, or 0 if unmapped. */
uint32_t
vm_translate(uint32_t *pd, uint32_t va, bool write)
{
	uint32_t *pte;

	if (va < USER_BASE || va >= USER_END)
		return 0;
	pte = pte_of(pd, va, false);
	if (pte == NULL || !(*pte & PTE_P) || !(*pte & PTE_U))
		return 0;
	if (write && !(*pte & PTE_W))
		return 0;
	return (*pte & ~0xFFFu) | (va & 0xFFFu);
}

/*
 * Is [va, va+len) user memory, mapped (and writable if write)?  On every
 * system call that takes a pointer: the page-table walk is written out
 * (a user page directory maps no large pages below USER_END).
 */
bool
vm_user_ok(uint32_t *pd, uint32_t va, uint32_t len, bool write)
{
	uint32_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	uint32_t end, p, pde, pte;

	if (len == 0)
		return va >= USER_BASE && va <= USER_END;
	if (__builtin_add_overflow(va, len - 1, &end) || va < USER_BASE ||
	    end >= USER_END)
		return false;
	for (p = va & ~0xFFFu;; p += PAGE_SIZE) {
		pde = pd[PDX(p)];
		if (!(pde & PTE_P))
			return false;
		pte = ((const uint32_t *)(pde & ~0xFFFu))[PTX(p)];
		if ((pte & need) != need || pte < PAGE_SIZE)
			return false;
		if (p >= (end & ~0xFFFu))
			return true;
	}
}
