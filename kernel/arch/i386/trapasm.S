/*
 * trapasm.S - entry stubs for every IDT vector and the common trap path.
 *
 * Each stub pushes an error code (0 when the CPU does not) and its vector,
 * then jumps to trap_common, which saves the registers as a struct
 * trapframe and calls trap_dispatch(tf).  trap_return restores them; a new
 * user thread starts by jumping to it with a prepared frame.
 */
#include "kernel/arch/i386/cpu.h"

	.text
#define TRAP_NOERR(n) \
	.globl trap_vec_##n; trap_vec_##n: pushl $0; pushl $n; jmp trap_common
#define TRAP_ERR(n) \
	.globl trap_vec_##n; trap_vec_##n: pushl $n; jmp trap_common

TRAP_NOERR(0);  TRAP_NOERR(1);  TRAP_NOERR(2);  TRAP_NOERR(3)
TRAP_NOERR(4);  TRAP_NOERR(5);  TRAP_NOERR(6);  TRAP_NOERR(7)
TRAP_ERR(8);    TRAP_NOERR(9);  TRAP_ERR(10);   TRAP_ERR(11)
TRAP_ERR(12);   TRAP_ERR(13);   TRAP_ERR(14);   TRAP_NOERR(15)
TRAP_NOERR(16); TRAP_ERR(17);   TRAP_NOERR(18); TRAP_NOERR(19)
TRAP_NOERR(20); TRAP_NOERR(21); TRAP_NOERR(22); TRAP_NOERR(23)
TRAP_NOERR(24); TRAP_NOERR(25); TRAP_NOERR(26); TRAP_NOERR(27)
TRAP_NOERR(28); TRAP_NOERR(29); TRAP_NOERR(30); TRAP_NOERR(31)
TRAP_NOERR(32); TRAP_NOERR(33); TRAP_NOERR(34); TRAP_NOERR(35)
TRAP_NOERR(36); TRAP_NOERR(37); TRAP_NOERR(38); TRAP_NOERR(39)
TRAP_NOERR(40); TRAP_NOERR(41); TRAP_NOERR(42); TRAP_NOERR(43)
TRAP_NOERR(44); TRAP_NOERR(45); TRAP_NOERR(46); TRAP_NOERR(47)
TRAP_NOERR(48); TRAP_NOERR(49); TRAP_NOERR(50); TRAP_NOERR(51)
TRAP_NOERR(52); TRAP_NOERR(53); TRAP_NOERR(54); TRAP_NOERR(55)
TRAP_NOERR(56); TRAP_NOERR(57); TRAP_NOERR(58); TRAP_NOERR(59)
TRAP_NOERR(60); TRAP_NOERR(61); TRAP_NOERR(62); TRAP_NOERR(63)

/* Load the kernel data segment into sreg unless it holds a flat one. */
#define KSEG(sreg) \
	movw sreg, %ax; cmpw $SEL_UDATA, %ax; je 1f; \
	cmpw $SEL_KDATA, %ax; je 1f; \
	movw $SEL_KDATA, %ax; movw %ax, sreg; 1:
/* Pop sreg from the frame, loading it only if it changes. */
#define USEG(sreg) \
	movw sreg, %ax; cmpw (%esp), %ax; je 1f; \
	movw (%esp), sreg; 1: addl $4, %esp

trap_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	/*
	 * A segment register keeps its selector if that is already a flat
	 * data segment (kernel or user data): under emulation every load of
	 * one is slow.
	 */
	KSEG(%ds)
	KSEG(%es)
	KSEG(%fs)
	KSEG(%gs)
	cld
	pushl %esp
	xorl %ebp, %ebp         /* backtraces stop at the trap */
	call trap_dispatch
	addl $4, %esp
	.globl trap_return
trap_return:
	USEG(%gs)
	USEG(%fs)
	USEG(%es)
	USEG(%ds)
	popal
	addl $8, %esp
	iret

	.section .rodata
	.align 4
	.globl trap_vectors
trap_vectors:
#define V(n) .long trap_vec_##n
	V(0);  V(1);  V(2);  V(3);  V(4);  V(5);  V(6);  V(7)
	V(8);  V(9);  V(10); V(11); V(12); V(13); V(14); V(15)
	V(16); V(17); V(18); V(19); V(20); V(21); V(22); V(23)
	V(24); V(25); V(26); V(27); V(28); V(29); V(30); V(31)
	V(32); V(33); V(34); V(35); V(36); V(37); V(38); V(39)
	V(40); V(41); V(42); V(43); V(44); V(45); V(46); V(47)
	V(48); V(49); V(50); V(51); V(52); V(53); V(54); V(55)
	V(56); V(57); V(58); V(59); V(60); V(61); V(62); V(63)
