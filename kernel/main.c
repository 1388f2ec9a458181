/*
 * main.c - kmain: the boot flow of a VX node, one init call per line in
 * dependency order, then the boot hooks of this build (the test kernel's
 * `ktest` and `kbench`), then the file system (fsboot.c: the Bullet
 * and SOAP servers when a disk holds one, ROOT and WORK for every
 * process), then what the command line asks for: a first user process
 * (`init=NAME args`), else the boot server from the file system
 * (fsboot_user), and the kernel monitor on the console when there is no
 * boot server, it ended, or `monitor` was given.
 */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/arch/boot.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/lipc.h"
#include "kernel/boothook.h"
#include "kernel/bootimg.h"
#include "kernel/fsboot.h"
#include "kernel/net/knet.h"
#include "kernel/svr/ksvr.h"
#include "kernel/krandom.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/monitor.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include "kernel/arch/vm.h"
#include "drivers/drivers.h"
#include "drivers/char/kbd.h"
#include "drivers/char/uart.h"
#include "drivers/char/vga.h"
#include "drivers/rtc/rtc.h"
#include <stderr.h>

void kmain(uint32_t magic, uint32_t info) __attribute__((noreturn));


extern const struct boothook boothook_start[], boothook_end[];

void
boothook_run(void)
{
	for (const struct boothook *h = boothook_start; h < boothook_end; h++)
		h->fn();
}

static void
clock_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
	arch_clock_tick();
	krandom_stir(irq);                /* timer jitter */
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

#define INIT_MAXARG 32

/*
 * run_init: start `init=NAME args...` from the boot image as the first
 * user process, wait for it, report how it ended and leave QEMU with its
 * exit status (a fault gives EXIT_FAIL).
 */
static void __attribute__((noreturn))
run_init(const char *line)
{
	static char buf[CMDLINE_MAX];
	const char *argv[INIT_MAXARG + 1];
	struct proc_exit ex;
	errstat err;

	strncpy(buf, line, sizeof(buf) - 1);
	cmdline_split(buf, argv, INIT_MAXARG);
	err = monitor_exec(argv, &ex);
	if (err != STD_OK) {
		kprintf("vx: init: cannot start %s: %s (%d)\n",
			argv[0] ? argv[0] : "(none)",
			err == STD_NOTFOUND ? "not in the boot image" : "error",
			err);
		arch_exit(EXIT_FAIL);
	}
	if (ex.how == PROC_FAULTED) {
		kprintf("vx: init exited fault %d at %p\n", ex.trapno,
			(void *)ex.eip);
		arch_exit(EXIT_FAIL);
	}
	kprintf("vx: init exited %d\n", ex.status);
	arch_exit(ex.status & 0xFF);
}

void
kmain(uint32_t magic, uint32_t info)
{
	arch_boot_parse(magic, info);     /* memory map, modules, command line */
	cmdline_parse(boot_info.cmdline); /* options */
	console_init();                   /* serial and VGA output */
	kprintf("VX kernel: %u KiB free, %d boot module(s), cmdline '%s'\n",
		page_free_count() * 4, boot_info.nmod, cmdline_raw());
	arch_init();                      /* GDT, TSS, IDT, PIC, PIT, FPU */
	arch_vm_init();                   /* paging */
	thread_init();                    /* the boot thread */
	proc_init();                      /* processes hook into threads */
	clock_init();                     /* timer interrupt, TSC calibration */
	krandom_init();                   /* entropy for ports and checks */
	rtc_init();                       /* time of day */
	uart_start();                     /* serial ports interrupt driven */
	kbd_init();                       /* PS/2 keyboard input */
	seg_init();                       /* segment server port */
	drivers_init();                   /* PCI, NICs, disks */
	knet_init();                      /* FLIP switch, RPC node */
	rpc_syscall_init();               /* the RPC traps */
	lipc_init();                      /* local IPC's system calls */
	knet_attach_nics();               /* NICs become FLIP networks */
	kdir_init(cmdline_node());             /* this node's kernel directory */
	psvr_init();                      /* process and segment server */
	syssvr_init();                    /* kernel statistics and log */
	rndsvr_init();                    /* random numbers */
	todsvr_init();                    /* time of day */
	ttysvr_init();                    /* the console as a server */
	vdisk_init();                     /* disks and partitions */
	bootimg_init();                   /* programs in the boot image */
	unicsvr_init();                   /* usernic=: the NIC's driver process */
	kprintf("vx: ready %s\n", cmdline_node());
	boothook_run();                   /* test kernels: ktest, kbench */
	if (cmdline_get("ktest") || cmdline_get("kbench"))
		kprintf("vx: no in-kernel tests in this kernel "
			"(they are in build/vx-test.elf)\n");
	fsboot_start();                   /* file and directory servers */
	if (cmdline_init())
		run_init(cmdline_init());
	if (cmdline_get("monitor") == NULL && cmdline_get("nofs") == NULL)
		fsboot_user();            /* the boot server, while it runs */
	monitor_run();                    /* the console shell */
}
