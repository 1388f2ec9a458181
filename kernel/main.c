/*
 * main.c - kmain: the boot flow of a VX node, one init call per line in
 * dependency order, then what the command line asks for: the in-kernel
 * tests (`ktest`), a first user process (`init=NAME args`), or the
 * kernel monitor on the console.
 */
#include <stdint.h>

#include "arch.h"
#include "boot.h"
#include "cmdline.h"
#include "klib.h"
#include "ktest.h"
#include "mem.h"
#include "thread.h"
#include "vm.h"
#include "drivers/char/uart.h"
#include "drivers/char/vga.h"

void arch_clock_tick(void);
void arch_clock_calibrate(void);
void kmain(uint32_t magic, uint32_t info) __attribute__((noreturn));

const char *node_name = "vx";

static void
clock_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
	arch_clock_tick();
	sched_tick();
}

static void
clock_init(void)
{
	arch_irq_register(0, clock_irq, NULL);
	arch_irq_unmask(0);
	arch_irq_enable();
	arch_clock_calibrate();
}

static void
console_init(void)
{
	uart_console_init((uint32_t)cmdline_int("baud", 115200));
	if (cmdline_get("novga") == NULL)
		vga_console_init();
}

void
kmain(uint32_t magic, uint32_t info)
{
	arch_boot_parse(magic, info);     /* memory map, modules, command line */
	cmdline_parse(boot_info.cmdline); /* options */
	console_init();                   /* serial and VGA output */
	if (cmdline_get("node") && *cmdline_get("node"))
		node_name = cmdline_get("node");
	kprintf("VX kernel: %u KiB free, %d boot module(s), cmdline '%s'\n",
		page_free_count() * 4, boot_info.nmod, cmdline_raw());
	arch_init();                      /* GDT, TSS, IDT, PIC, PIT, FPU */
	arch_vm_init();                   /* paging */
	thread_init();                    /* the boot thread */
	clock_init();                     /* timer interrupt, TSC calibration */
	kprintf("vx: ready %s\n", node_name);
	if (cmdline_get("ktest"))
		ktest_run(cmdline_get("ktest"));
	for (;;)
		thread_msleep(1000);
}
