/*
 * uprog.h - tiny user programs for in-kernel tests: machine code placed
 * in a text segment at UPROG_TEXT with a zeroed data page at UPROG_DATA,
 * wrapped in a real process descriptor and started with proc_exec.
 */
#ifndef TESTS_KERNEL_UPROG_H
#define TESTS_KERNEL_UPROG_H

#include <stddef.h>
#include <stdint.h>

#define UPROG_TEXT 0x40000000u
#define UPROG_DATA 0x40100000u

struct proc;

/* uprog_spawn: start code[0..n) as a process at priority prio (or NULL). */
struct proc *uprog_spawn(const char *name, const uint8_t *code, size_t n,
			 int prio);
/* uprog_data: kernel pointer to the first data word of p (its counter). */
volatile uint32_t *uprog_data(struct proc *p);
/* uprog_run: spawn, wait; returns the exit status or -1000-trap on fault. */
int uprog_run(const char *name, const uint8_t *code, size_t n);

#endif /* TESTS_KERNEL_UPROG_H */
