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

	/*
	 * arch_user_start(eip, esp, eax, ktop): drop to ring 3 at eip with
	 * user stack esp, EAX = eax and all other registers zero; the kernel
	 * stack restarts at ktop.
	 */
	.globl arch_user_start
arch_user_start:
	movl 4(%esp), %ecx
	movl 8(%esp), %edx
	movl 12(%esp), %eax
	movl 16(%esp), %esp
	pushl $0x23             /* ss = SEL_UDATA */
	pushl %edx              /* user esp */
	pushl $0x202            /* eflags: IF */
	pushl $0x2B             /* cs = SEL_UCODE */
	pushl %ecx              /* eip */
	movw $0x23, %cx
	movw %cx, %ds
	movw %cx, %es
	movw %cx, %fs
	movw %cx, %gs
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	iret
