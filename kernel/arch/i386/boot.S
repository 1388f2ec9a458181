/*
 * boot.S - multiboot v1 header and the kernel's first instructions.
 *
 * Any multiboot loader (QEMU -kernel, GRUB, iPXE) enters _start in 32-bit
 * protected mode with paging off, EAX = 0x2BADB002 and EBX = the physical
 * address of the multiboot information.  We set up the boot stack and call
 * kmain(magic, info); kmain never returns.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003     /* page-align modules, want memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .bss
	.align 16
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 16384
boot_stack_top:

	.section .text
	.globl _start
_start:
	cli
	cld
	mov  $boot_stack_top, %esp
	xor  %ebp, %ebp          /* terminates backtraces */
	push %ebx                /* multiboot information */
	push %eax                /* loader magic */
	call kmain
1:	cli
	hlt
	jmp  1b
