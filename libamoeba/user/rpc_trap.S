/*
 * rpc_trap.S - the RPC system calls and exitthread as trap wrappers.
 *
 * trans, getreq, putrep (INT 50-52, 16-bit counts), rpc_trans,
 * rpc_getreq, rpc_putrep (INT 58-60, 32-bit counts), timeout (INT 54)
 * and vx_exitthread (INT 53).  Registers follow amoeba/syscall.h; the
 * wrappers keep EBX, ESI, EDI and EBP for the C caller and assume the
 * kernel may change any register but ESP.
 */
#include <amoeba/syscall.h>

/* Arguments after the four pushes below start at 20(%esp). */
#define ARG(n)	(20 + 4 * (n))(%esp)

	.macro SAVE
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	pushl	%ebp
	.endm

	.macro RESTORE
	popl	%ebp
	popl	%edi
	popl	%esi
	popl	%ebx
	.endm

	.text

/* bufsize getreq(header *h, bufptr buf, bufsize n) */
	.globl	getreq
	.type	getreq, @function
getreq:
	SAVE
	movl	ARG(0), %edi
	movl	ARG(1), %esi
	movzwl	ARG(2), %ebx
	int	$VX_INT_GETREQ
	RESTORE
	ret
	.size	getreq, . - getreq

/* int32 rpc_getreq(header *h, bufptr buf, f_size_t n) */
	.globl	rpc_getreq
	.type	rpc_getreq, @function
rpc_getreq:
	SAVE
	movl	ARG(0), %edi
	movl	ARG(1), %esi
	movl	ARG(2), %ebx
	int	$VX_INT_RPC_GETREQ
	RESTORE
	ret
	.size	rpc_getreq, . - rpc_getreq

/* void putrep(header *h, bufptr buf, bufsize n) */
	.globl	putrep
	.type	putrep, @function
putrep:
	SAVE
	movl	ARG(0), %esi
	movl	ARG(1), %ecx
	movzwl	ARG(2), %ebx
	int	$VX_INT_PUTREP
	RESTORE
	ret
	.size	putrep, . - putrep

/* errstat rpc_putrep(header *h, bufptr buf, f_size_t n) */
	.globl	rpc_putrep
	.type	rpc_putrep, @function
rpc_putrep:
	SAVE
	movl	ARG(0), %esi
	movl	ARG(1), %ecx
	movl	ARG(2), %ebx
	int	$VX_INT_RPC_PUTREP
	RESTORE
	ret
	.size	rpc_putrep, . - rpc_putrep

/* bufsize trans(header *req, bufptr rbuf, bufsize rn,
 *		 header *rep, bufptr pbuf, bufsize pn) */
	.globl	trans
	.type	trans, @function
trans:
	SAVE
	movl	ARG(0), %esi
	movl	ARG(1), %ebx
	movzwl	ARG(2), %ecx
	movl	ARG(3), %edi
	movl	ARG(4), %edx
	movzwl	ARG(5), %ebp
	int	$VX_INT_TRANS
	RESTORE
	ret
	.size	trans, . - trans

/* int32 rpc_trans(header *req, bufptr rbuf, f_size_t rn,
 *		   header *rep, bufptr pbuf, f_size_t pn) */
	.globl	rpc_trans
	.type	rpc_trans, @function
rpc_trans:
	SAVE
	movl	ARG(0), %esi
	movl	ARG(1), %ebx
	movl	ARG(2), %ecx
	movl	ARG(3), %edi
	movl	ARG(4), %edx
	movl	ARG(5), %ebp
	int	$VX_INT_RPC_TRANS
	RESTORE
	ret
	.size	rpc_trans, . - rpc_trans

/* interval timeout(interval ms) */
	.globl	timeout
	.type	timeout, @function
timeout:
	SAVE
	movl	ARG(0), %ebx
	int	$VX_INT_TIMEOUT
	RESTORE
	ret
	.size	timeout, . - timeout

/*
 * void vx_exitthread(volatile int *done, int status): store 1 into *done
 * (when not NULL) and leave with INT 53, touching no memory in between,
 * so that another thread may free this thread's stack once it sees *done.
 */
	.globl	vx_exitthread
	.type	vx_exitthread, @function
vx_exitthread:
	movl	4(%esp), %eax
	movl	8(%esp), %ebx
	testl	%eax, %eax
	jz	1f
	movl	$1, (%eax)
1:	int	$VX_INT_EXITTHREAD
	ud2				/* the kernel never returns here */
	.size	vx_exitthread, . - vx_exitthread

	.section .note.GNU-stack, "", @progbits
