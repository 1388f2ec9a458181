/*
 * monitor.c - the console shell of a node that was not given `init=`:
 * a line-oriented monitor on the serial console (and VGA/keyboard) to
 * look at the node and start programs from the boot image.
 *
 *   help              the commands
 *   ps                threads and processes
 *   mem               physical memory and segments
 *   ls                programs in the boot image
 *   run NAME args...  start NAME from the boot image and wait for it
 *   kstat             kernel statistics (as the sys server reports them)
 *   halt              leave QEMU (or stop the CPU)
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/tty.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/bootimg.h"
#include "kernel/fsboot.h"
#include "kernel/seg.h"
#include "kernel/monitor.h"
#include "kernel/svr/ksvr.h"
#include "kernel/thread.h"
#include <stderr.h>

#define LINE 256
#define MAXARG 16


static const char *const state_names[] = {
	"free", "ready", "run", "sleep", "dead", "new",
};

static void
show_thread(struct thread *t, void *arg)
{
	(void)arg;
	kprintf("%4d %-6s %-5s %5d %-16s %s\n", t->tid,
		t->irq_thread ? "irq" : t->proc ? "user" : "kernel",
		state_names[t->state],
		t->proc ? t->proc->pid : -1, t->name,
		t->prio == PRIO_HIGH ? "HIGH" : t->prio == PRIO_NORM ? "NORM"
								      : "LOW");
}

static void
cmd_ps(void)
{
	kprintf(" tid kind   state   pid name             prio\n");
	thread_foreach(show_thread, NULL);
}

static void
cmd_mem(void)
{
	kprintf("%u KiB free of %u KiB; %d segments, %d processes\n",
		page_free_count() * 4, page_total_count() * 4, seg_count(),
		proc_count());
}

static void
cmd_ls(void)
{
	for (int i = 0; i < bootimg_count(); i++)
		kprintf("%s\n", bootimg_name(i));
}

errstat
monitor_exec(const char *const *argv, struct proc_exit *ex)
{
	struct cap_env caps[TTYSVR_NCAPENV + FSBOOT_NCAPENV];
	int n = ttysvr_capenv(caps);

	n += fsboot_capenv(caps + n);
	return bootimg_run(argv, caps, n, ex);
}

static void
cmd_run(int argc, const char **argv)
{
	struct proc_exit ex;
	errstat err;

	if (argc < 2) {
		kprintf("run: which program?\n");
		return;
	}
	err = monitor_exec(argv + 1, &ex);
	if (err == STD_NOTFOUND)
		kprintf("run: %s: no such program\n", argv[1]);
	else if (err != STD_OK)
		kprintf("run: %s: error %d\n", argv[1], err);
	else if (ex.how == PROC_FAULTED)
		kprintf("[%s: fault %d at %p]\n", argv[1], ex.trapno,
			(void *)ex.eip);
	else
		kprintf("[%s: exit %d]\n", argv[1], ex.status);
}

static void
monitor_command(int argc, const char **argv)
{
	if (strcmp(argv[0], "help") == 0)
		kprintf("commands: help ps mem ls run kstat halt\n");
	else if (strcmp(argv[0], "ps") == 0)
		cmd_ps();
	else if (strcmp(argv[0], "mem") == 0)
		cmd_mem();
	else if (strcmp(argv[0], "ls") == 0)
		cmd_ls();
	else if (strcmp(argv[0], "run") == 0)
		cmd_run(argc, argv);
	else if (strcmp(argv[0], "kstat") == 0)
		kprintf("switches %u, preemptions %u, threads %u\n",
			sched_stats.switches, sched_stats.preemptions,
			sched_stats.nthreads);
	else if (strcmp(argv[0], "halt") == 0)
		arch_exit(EXIT_PASS);
	else
		kprintf("%s: unknown command (try help)\n", argv[0]);
}

/* monitor_run: the console loop; never returns. */
void
monitor_run(void)
{
	static char line[LINE + 1];
	const char *argv[MAXARG + 1];

	kprintf("VX monitor on %s; type help\n", cmdline_node());
	for (;;) {
		int n, argc;

		kprintf("%s> ", cmdline_node());
		n = tty_readline(&tty_console, line, LINE);
		if (n <= 0) {
			thread_msleep(100);
			continue;
		}
		line[n] = 0;
		argc = cmdline_split(line, argv, MAXARG);
		if (argc)
			monitor_command(argc, argv);
	}
}
