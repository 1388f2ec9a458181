/*
 * krandom.h - the kernel's entropy: RDRAND when the CPU has it, else a
 * pool stirred with TSC jitter from interrupts and NIC timing.
 */
#ifndef KERNEL_KRANDOM_H
#define KERNEL_KRANDOM_H

#include <stddef.h>
#include <stdint.h>

void krandom_init(void);
/* krandom: fill buf with n random bytes. */
void krandom(void *buf, size_t n);
/* krandom_stir: mix an event's timing into the pool (irq context ok). */
void krandom_stir(uint32_t x);
/* krandom_source: "rdrand" or "pool". */
const char *krandom_source(void);

#endif /* KERNEL_KRANDOM_H */
