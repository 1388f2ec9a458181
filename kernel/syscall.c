/*
 * syscall.c - system-call entry (to be filled by the syscall layer).
 */
#include "klib.h"
#include "thread.h"
#include "kernel/arch/i386/cpu.h"

void
syscall_trap(struct trapframe *tf)
{
	tf->eax = (uint32_t)-1;
}

void
thread_user_fault(int trapno, uint32_t eip, uint32_t addr)
{
	panic("user fault %d at %x addr %x before processes exist", trapno,
	      eip, addr);
}
