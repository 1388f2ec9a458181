/*
 * vm.h - address spaces (implemented by kernel/arch/i386/vm.c).
 *
 * A page directory pointer is also its physical address.  User mappings
 * must lie in [USER_BASE, USER_END).
 */
#ifndef KERNEL_ARCH_VM_H
#define KERNEL_ARCH_VM_H

#include <stdbool.h>
#include <stdint.h>

void arch_vm_init(void);
uint32_t *vm_pgdir_create(void);
void vm_pgdir_destroy(uint32_t *pd);
/* vm_map: map len bytes at pa to va (pages); -1 if out of range/memory. */
int vm_map(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len,
	   bool writable);
/* vm_map_dev: vm_map writable and uncached (PCD|PWT), for device memory. */
int vm_map_dev(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len);
void vm_unmap(uint32_t *pd, uint32_t va, uint32_t len);
/*
 * Runs of pages: vm_map_run into empty entries needs no TLB work;
 * vm_unmap_run leaves the TLB to one vm_flush(pd) at the end.
 */
int vm_map_run(uint32_t *pd, uint32_t va, uint32_t pa, uint32_t len,
	       bool writable);
void vm_unmap_run(uint32_t *pd, uint32_t va, uint32_t len);
void vm_flush(uint32_t *pd);
/* vm_reserve: page tables for [va, va+len), so vm_map there cannot fail. */
int vm_reserve(uint32_t *pd, uint32_t va, uint32_t len);
uint32_t vm_translate(uint32_t *pd, uint32_t va, bool write);
/* vm_user_ok: is [va, va+len) mapped for user access (and writable)? */
bool vm_user_ok(uint32_t *pd, uint32_t va, uint32_t len, bool write);

#endif /* KERNEL_ARCH_VM_H */
