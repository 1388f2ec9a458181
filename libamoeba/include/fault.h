/*
 * fault.h - a user thread's registers as a signal catcher sees them
 * (Amoeba 5.3's i80386 layout): what sys_sigret restores, after the
 * catcher may have changed it (if_eip to resume elsewhere, for example).
 */
#ifndef FAULT_H
#define FAULT_H

struct fault {
	unsigned long if_memmap;	/* unused (0) */
	unsigned long if_gs, if_fs, if_es, if_ds;
	unsigned long if_regs[8];	/* edi esi ebp esp ebx edx ecx eax */
	unsigned long if_trap;		/* trap number of an exception */
	unsigned long if_errcode;	/* fault address or error code */
	unsigned long if_eip;		/* instruction pointer */
	unsigned long if_cs;
	unsigned long if_eflag;
	unsigned long if_esp;		/* stack pointer */
	unsigned long if_ss;
};
#define if_edi	if_regs[0]
#define if_esi	if_regs[1]
#define if_ebp	if_regs[2]
#define if_faddr if_regs[3]
#define if_ebx	if_regs[4]
#define if_edx	if_regs[5]
#define if_ecx	if_regs[6]
#define if_eax	if_regs[7]

typedef struct fault thread_ustate;

#ifdef __i386__		/* on Linux (libamunix) a catcher gets zeros */
_Static_assert(sizeof(struct fault) == 80, "thread_ustate is 80 bytes");
#endif

#endif /* FAULT_H */
