/*
 * desc.c - GDT, TSS and IDT.
 *
 * Flat 4 GiB code and data segments for the kernel (ring 0) and for user
 * processes (ring 3); protection comes from paging.  One TSS supplies the
 * kernel stack for traps from user mode (esp0 is switched with each
 * thread) and the I/O permission bitmap: all ports denied to user mode
 * but the byte range tss_iomap_set copies in from the running process's
 * own map (device grants, kernel/svr/devsvr.c).
 * IDT: interrupt gates for exceptions and IRQs, ring-3 trap gates for the
 * system-call vectors 50-63.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"

struct seg_desc {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, gran, base_hi;
} __attribute__((packed));

struct gate_desc {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
	uint8_t iomap[8192 + 1]; /* one bit per port; trailing 0xFF */
} __attribute__((packed));

_Static_assert(sizeof(struct seg_desc) == 8, "segment descriptor");
_Static_assert(sizeof(struct gate_desc) == 8, "gate descriptor");
_Static_assert(offsetof(struct tss, iomap) == 104, "tss layout");

static struct seg_desc gdt[6];
static struct gate_desc idt[64];
static struct tss tss __attribute__((aligned(16)));

static void
set_seg(int i, uint32_t base, uint32_t limit, uint8_t access, uint8_t gran)
{
	gdt[i].limit_lo = limit & 0xFFFF;
	gdt[i].base_lo = base & 0xFFFF;
	gdt[i].base_mid = (base >> 16) & 0xFF;
	gdt[i].access = access;
	gdt[i].gran = (uint8_t)(gran | ((limit >> 16) & 0x0F));
	gdt[i].base_hi = (base >> 24) & 0xFF;
}

static void
set_gate(int v, uint32_t off, uint8_t type)
{
	idt[v].off_lo = off & 0xFFFF;
	idt[v].sel = SEL_KCODE;
	idt[v].zero = 0;
	idt[v].type = type;
	idt[v].off_hi = off >> 16;
}

static void
gdt_load(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (uint32_t)gdt };

	lgdt(&p);
	__asm__ volatile("ljmp %0, $1f\n1:\n"
			 "movw %w1, %%ax\n"
			 "movw %%ax, %%ds\n movw %%ax, %%es\n"
			 "movw %%ax, %%fs\n movw %%ax, %%gs\n"
			 "movw %%ax, %%ss\n"
			 : : "i"(SEL_KCODE), "i"(SEL_KDATA) : "eax", "memory");
}

void
arch_desc_init(void)
{
	set_seg(1, 0, 0xFFFFF, 0x92, 0xC0); /* kernel data */
	set_seg(2, 0, 0xFFFFF, 0x9A, 0xC0); /* kernel code */
	set_seg(3, (uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x00);
	set_seg(4, 0, 0xFFFFF, 0xF2, 0xC0); /* user data */
	set_seg(5, 0, 0xFFFFF, 0xFA, 0xC0); /* user code */
	gdt_load();

	memset(&tss, 0, sizeof(tss));
	tss.ss0 = SEL_KDATA;
	tss.iomap_base = offsetof(struct tss, iomap);
	memset(tss.iomap, 0xFF, sizeof(tss.iomap));
	ltr(SEL_TSS);

	for (int v = 0; v < 64; v++)
		set_gate(v, trap_vectors[v], 0x8E); /* interrupt gate, DPL 0 */
	for (int v = T_SYSCALL_FIRST; v <= T_SYSCALL_LAST; v++)
		set_gate(v, trap_vectors[v], 0xEF); /* trap gate, DPL 3 */
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], 0xEE);
	struct desc_ptr ip = { sizeof(idt) - 1, (uint32_t)idt };
	lidt(&ip);
}

void
tss_set_kstack(uint32_t esp0)
{
	tss.esp0 = esp0;
}


/*
 * tss_iomap_set: close the range opened last, then open map[lo, hi) (a
 * process's own 8 KiB bitmap; only its touched byte range is copied, so
 * a switch between processes without grants costs nothing).  map NULL:
 * every port closed.  Caller: interrupts off.
 */
void
tss_iomap_set(const uint8_t *map, uint32_t lo, uint32_t hi)
{
	static uint32_t open_lo, open_hi;

	if (open_hi > open_lo)
		memset(tss.iomap + open_lo, 0xFF, open_hi - open_lo);
	open_lo = open_hi = 0;
	if (map == NULL || hi <= lo || hi > 8192)
		return;
	memcpy(tss.iomap + lo, map + lo, hi - lo);
	open_lo = lo;
	open_hi = hi;
}
