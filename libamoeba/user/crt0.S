/*
 * crt0.S - entry point of every VX user program.
 *
 * The kernel starts the first thread at _start with ESP pointing at the
 * initial stack of spec 8.4: [sp] = argc, [sp+4] = argv, [sp+8] = envp,
 * [sp+12] = capv.  _start only aligns the stack for the C ABI and hands
 * that pointer to vx_start() (start.c), which never returns.  _init and
 * _fini are empty: newlib calls them around the init/fini arrays.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	movl	%esp, %eax		/* the initial stack */
	andl	$-16, %esp
	subl	$12, %esp
	pushl	%eax
	call	vx_start
	ud2				/* not reached */
	.size	_start, . - _start

	.globl	_init
	.type	_init, @function
_init:
	ret
	.size	_init, . - _init

	.globl	_fini
	.type	_fini, @function
_fini:
	ret
	.size	_fini, . - _fini

	.section .note.GNU-stack, "", @progbits
