/*
 * x86.h - static inline wrappers for the i386 special instructions.
 *
 * The only place in VX with inline assembly besides the .S files in kernel/arch/i386;
 * drivers include it for port I/O.
 */
#ifndef KERNEL_ARCH_I386_X86_H
#define KERNEL_ARCH_I386_X86_H

#include <stdint.h>

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
insw(uint16_t port, void *buf, uint32_t n)
{
	__asm__ volatile("cld; rep insw"
			 : "+D"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
outsw(uint16_t port, const void *buf, uint32_t n)
{
	__asm__ volatile("cld; rep outsw"
			 : "+S"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
insl(uint16_t port, void *buf, uint32_t n)
{
	__asm__ volatile("cld; rep insl"
			 : "+D"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
outsl(uint16_t port, const void *buf, uint32_t n)
{
	__asm__ volatile("cld; rep outsl"
			 : "+S"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
io_wait(void)
{
	outb(0x80, 0);
}

static inline void
cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void
sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void
hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* sti; hlt as one pair: no interrupt can slip in between. */
static inline void
sti_hlt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline uint32_t
read_eflags(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void
write_eflags(uint32_t f)
{
	__asm__ volatile("pushl %0; popfl" : : "r"(f) : "memory", "cc");
}

static inline uint32_t
rcr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void
lcr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t
rcr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t
rcr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void
lcr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t
rcr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void
lcr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void
invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

/* One RDRAND attempt; returns 1 and stores the value on success. */
static inline int
rdrand32(uint32_t *v)
{
	uint8_t ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static inline void
lgdt(void *desc)
{
	__asm__ volatile("lgdt (%0)" : : "r"(desc) : "memory");
}

static inline void
lidt(void *desc)
{
	__asm__ volatile("lidt (%0)" : : "r"(desc) : "memory");
}

static inline void
ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

static inline void
clts(void)
{
	__asm__ volatile("clts");
}

static inline void
fxsave(void *area)
{
	__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static inline void
fxrstor(const void *area)
{
	__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

static inline void
fninit(void)
{
	__asm__ volatile("fninit");
}

static inline uint32_t
read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("mov %%ebp, %0" : "=r"(v));
	return v;
}

#endif /* KERNEL_ARCH_I386_X86_H */
