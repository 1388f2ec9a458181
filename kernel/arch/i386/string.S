/*
 * string.S - memcpy and memset for the kernel with the string
 * instructions (rep movsl/movsb, rep stosl/stosb): under QEMU's TCG one
 * string instruction per element is several times cheaper than a C loop,
 * and a misaligned source (FLIP fragments are 1458 bytes) does not fall
 * back to bytes.  The other string functions are in kernel/libc/string.c.
 */
	.text
	.globl memcpy
memcpy:				/* void *memcpy(void *dst, const void *src, size_t n) */
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %edi, %eax
	movl %ecx, %edx
	shrl $2, %ecx
	cld
	rep movsl
	movl %edx, %ecx
	andl $3, %ecx
	rep movsb
	popl %esi
	popl %edi
	ret

	.globl memset
memset:				/* void *memset(void *dst, int c, size_t n) */
	pushl %edi
	movl 8(%esp), %edi
	movzbl 12(%esp), %eax
	imull $0x01010101, %eax, %eax
	movl 16(%esp), %ecx
	movl %ecx, %edx
	shrl $2, %ecx
	cld
	rep stosl
	movl %edx, %ecx
	andl $3, %ecx
	rep stosb
	movl 8(%esp), %eax
	popl %edi
	ret
