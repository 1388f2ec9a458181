/*
 * exception.h - Amoeba's signals and exceptions (Amoeba 5.3 numbers).
 *
 * Positive numbers are signals a program raises (SIG_TRANS is the one
 * RPC uses: the client of a transaction was signalled); negative numbers
 * are the CPU's exceptions.  A thread catches them through the entries of
 * its signal vector (module/signals.h: sig_catch).
 */
#ifndef EXCEPTION_H
#define EXCEPTION_H

typedef long signum;

#define SIG_TRANS	1		/* transaction signal */

#define EXC_ILL		((signum)-2)	/* illegal instruction */
#define EXC_ODD		((signum)-3)	/* misaligned reference */
#define EXC_MEM		((signum)-4)	/* non-existent memory */
#define EXC_BPT		((signum)-5)	/* breakpoint instruction */
#define EXC_INS		((signum)-6)	/* undefined instruction */
#define EXC_DIV		((signum)-7)	/* division by zero */
#define EXC_FPE		((signum)-8)	/* floating-point exception */
#define EXC_ACC		((signum)-9)	/* memory access violation */
#define EXC_SYS		((signum)-10)	/* bad system call */
#define EXC_ARG		((signum)-11)	/* illegal operand */
#define EXC_EMU		((signum)-12)	/* system-call emulation */
#define EXC_ABT		((signum)-13)	/* abort() called */
#define EXC_LAST	EXC_ABT
#define EXC_NONE	((signum)0)	/* ends a list of exceptions */

/* One entry of a thread's signal vector (sys_setvec). */
typedef struct {
	signum sv_type;		/* the signal or exception */
	long sv_pc;		/* where the catcher is entered */
	long sv_arg3;		/* third argument to sv_pc */
	long sv_arg4;		/* fourth argument to sv_pc */
} sig_vector;

/* exc_name - a constant text naming a signal or exception. */
char *exc_name(signum sig);

#endif /* EXCEPTION_H */
