/*
 * switch.S - arch_switch(&old_esp, new_esp): save the callee-saved
 * registers on the current kernel stack, store its pointer in *old_esp,
 * load new_esp and pop the new thread's registers.  A new thread's stack
 * is prepared by arch_thread_init so that this "returns" into
 * arch_thread_start.
 */
	.text
	.globl arch_switch
arch_switch:
	movl 4(%esp), %eax
	movl 8(%esp), %edx
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	/* First instructions of every thread: entry(arg) from thread_boot. */
	.globl arch_thread_start
arch_thread_start:
	xorl %ebp, %ebp
	call thread_boot
1:	hlt
	jmp 1b
