/*
 * monitor.h - the kernel monitor: a small shell on the console for a
 * node started without init= (help, ps, mem, ls, run, kstat, halt), and
 * starting boot-image programs with the console as their terminal.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include <amoeba.h>

struct proc_exit;

/* monitor_run: read and run commands on the console for ever. */
void monitor_run(void) __attribute__((noreturn));
/*
 * monitor_exec: run boot-image program argv[0] with the console as
 * STDIN/STDOUT/STDERR/TTY and wait for it (*ex); STD_NOTFOUND if absent.
 */
errstat monitor_exec(const char *const *argv, struct proc_exit *ex);

#endif /* KERNEL_MONITOR_H */
