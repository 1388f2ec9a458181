/*
 * pic.c - the two 8259A interrupt controllers, remapped to vectors 32-47,
 * and the 8254 PIT, programmed for ARCH_HZ ticks a second.
 */
#include <stdint.h>

#include "kernel/arch/arch.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/x86.h"

#define PIC1 0x20
#define PIC2 0xA0
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_FREQ 1193182u

static uint16_t irq_mask = 0xFFFB; /* all masked but the cascade */

static void
pic_write_mask(void)
{
	outb(PIC1 + 1, irq_mask & 0xFF);
	outb(PIC2 + 1, irq_mask >> 8);
}

void
pic_init(void)
{
	outb(PIC1, 0x11);
	io_wait();
	outb(PIC2, 0x11);
	io_wait();
	outb(PIC1 + 1, T_IRQ0);
	outb(PIC2 + 1, T_IRQ0 + 8);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 0x01);
	outb(PIC2 + 1, 0x01);
	pic_write_mask();
}

void
pic_set_mask(int irq, int masked)
{
	uint32_t f = arch_irq_save();

	if (masked)
		irq_mask |= (uint16_t)(1u << irq);
	else
		irq_mask &= (uint16_t)~(1u << irq);
	pic_write_mask();
	arch_irq_restore(f);
}

int
pic_masked(int irq)
{
	return (irq_mask >> irq) & 1;
}

void
pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

/* Is this IRQ 7 or 15 a spurious one (not in the in-service register)? */
int
pic_spurious(int irq)
{
	if (irq == 7) {
		outb(PIC1, 0x0B);
		return !(inb(PIC1) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2, 0x0B);
		if (!(inb(PIC2) & 0x80)) {
			outb(PIC1, 0x20);
			return 1;
		}
	}
	return 0;
}

void
pit_init(void)
{
	uint32_t div = PIT_FREQ / ARCH_HZ;

	outb(PIT_CMD, 0x34); /* channel 0, lo/hi, rate generator */
	outb(PIT_CH0, div & 0xFF);
	outb(PIT_CH0, (div >> 8) & 0xFF);
}
