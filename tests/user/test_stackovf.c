/*
 * test_stackovf.c - a thread that overruns its stack must fault on the
 * guard page below it, not overwrite other memory: the process then
 * ends with a fault report (tests/user/t_stackguard.py checks it).
 * Prints "stack: base HEX" (the thread's stack top) and "ok 1 - ...",
 * then recurses until it faults; "overwrote" would mean no guard.
 * Run as `init=test_stackovf`.
 */
#include <stdio.h>
#include <string.h>

#include "amoeba.h"
#include "thread.h"
#include "module/syscall.h"

static volatile int sentinel = 0x5AFE;	/* must survive the overflow */

static int
deeper(int n)
{
	volatile char frame[1024];

	memset((char *)frame, n & 0xFF, sizeof(frame));
	if (n > (1 << 20))	/* 1 GiB of frames: never reached */
		return 0;
	return deeper(n + 1) + frame[n % sizeof(frame)];
}

static void
overflow(char *param, int psize)
{
	char here;

	(void)param;
	(void)psize;
	printf("stack: near %p\n", (void *)&here);
	printf("ok 1 - a thread with a 16 KiB stack runs\n");
	fflush(stdout);
	deeper(0);
	printf("overwrote past the stack: sentinel %x\n", sentinel);
	fflush(stdout);
}

int
main(void)
{
	if (!thread_newthread(overflow, 16384, NULL, 0)) {
		printf("not ok 1 - thread_newthread failed\n");
		return 1;
	}
	for (;;)
		sys_sleep(1000);	/* the fault ends the process */
}
