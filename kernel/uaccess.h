/*
 * uaccess.h - checked access to the current process's memory.
 *
 * Every pointer and length from a user process goes through these: the
 * range must lie in user space and be mapped (writable for copyout).  A
 * bad one gives an error, never a kernel fault.  The check and the copy
 * happen without blocking in between, so the mapping cannot change.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include <amoeba.h>

bool user_ok(uint32_t uva, uint32_t len, bool write);
errstat copyin(void *dst, uint32_t uva, uint32_t n);
errstat copyout(uint32_t uva, const void *src, uint32_t n);

#endif /* KERNEL_UACCESS_H */
