/*
 * test_sysfuzz.c - throw many thousands of random system calls at the kernel.
 *
 * Every newsys code (known and unknown) and every trap vector 50..63 is
 * called with random arguments drawn from a pool of bad pointers (NULL,
 * kernel addresses, unmapped user space, ranges that run off a mapping,
 * read-only text for calls that write), huge lengths and random numbers.
 * The only restrictions are the ones that keep this process alive and
 * quiet: no exitprocess or exitthread, no unmapping of its own segments,
 * no blocking reads, short sleeps, no console output from valid buffers,
 * the heap break only grown and then restored, and new threads only at a
 * stub that exits at once.
 *
 * Also real segments (grown and shrunk while mapped twice, unmapped to
 * capabilities, mapped again, destroyed) and random requests to the
 * kernel servers (process/segment, random, tod, sys).
 *
 * Checks: every call returns; calls given a bad pointer fail; unknown
 * codes and unused vectors give STD_COMBAD; the program's text and a
 * guard area are unchanged; malloc and stdio still work afterwards.
 * Usage: test_sysfuzz [iterations] [seed]  (default 20000, 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amoeba.h>
#include <stderr.h>
#include <stdcom.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <amoeba/dev.h>
#include <server/process/proc.h>
#include <server/random/random.h>
#include <server/soap/soap.h>
#include <server/systask/systask.h>
#include <server/tod/tod.h>

#include "check.h"

/* fuzz_trap(regs, vec): INT vec with EAX..EBP = regs[0..6]; returns EAX. */
long fuzz_trap(const long *regs, int vec);
/* fuzz_thread_exit: a thread entry that leaves with INT 53 at once. */
void fuzz_thread_exit(void);

__asm__(
	"	.text\n"
	"	.globl	fuzz_trap\n"
	"fuzz_trap:\n"
	"	pushl	%ebp\n"
	"	pushl	%ebx\n"
	"	pushl	%esi\n"
	"	pushl	%edi\n"
	"	movl	24(%esp), %eax\n"
	"	subl	$50, %eax\n"
	"	leal	9f(,%eax,8), %eax\n"
	"	pushl	%eax\n"
	"	movl	24(%esp), %eax\n"
	"	movl	4(%eax), %ebx\n"
	"	movl	8(%eax), %ecx\n"
	"	movl	12(%eax), %edx\n"
	"	movl	16(%eax), %esi\n"
	"	movl	20(%eax), %edi\n"
	"	movl	24(%eax), %ebp\n"
	"	movl	0(%eax), %eax\n"
	"	ret\n"
	"	.balign	8\n"
	"9:\n"
	"	.irp	v,50,51,52,53,54,55,56,57,58,59,60,61,62,63\n"
	"	int	$\\v\n"
	"	jmp	8f\n"
	"	.balign	8\n"
	"	.endr\n"
	"8:	popl	%edi\n"
	"	popl	%esi\n"
	"	popl	%ebx\n"
	"	popl	%ebp\n"
	"	ret\n"
	"	.globl	fuzz_thread_exit\n"
	"fuzz_thread_exit:\n"
	"	xorl	%ebx, %ebx\n"
	"	int	$53\n"
	"	ud2\n");

extern char etext[];

#define GUARD_LEN	(64 * 1024)
#define SCRATCH_LEN	(16 * 1024)

static uint32_t rng_state;
static unsigned char guard[GUARD_LEN];
static unsigned char scratch[SCRATCH_LEN] __attribute__((aligned(16)));
static header null_hdr;			/* trans: a null port, never locates */
static long cur_brk;
static int bad_accepted;		/* bad pointer calls that succeeded */
static int combad_wrong;		/* unknown calls not giving COMBAD */
static char first_error[120];
static unsigned long ncalls;
static unsigned long nmapped;		/* successful seg_map calls */
static unsigned long nkserver;		/* requests to kernel servers */

static uint32_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static const unsigned long bad_ptrs[] = {
	0, 1, 0x1000, 0x00100000, 0x00400000, 0x3FFFF000, 0x3FFFFFFC,
	0x80000000, 0x9FFFF000, 0xBFFEFFF0, 0xBFFFFFFE, 0xC0000000,
	0xC0001000, 0xE0000000, 0xFFFFF000, 0xFFFFFFFC, 0xFFFFFFFF,
};
#define NBAD (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))

/*
 * A random argument that is never an address inside this process (the
 * kernel may write through any argument: a failed trans may write the
 * reply header), so it is moved out of 0x40000000.. and the stack.
 */
static long
rnd_arg(void)
{
	uint32_t r = rnd();

	if ((r >= 0x40000000 && r < 0x50000000) || r >= 0xB0000000)
		r = (r & 0x0FFFFFFF) | 0x60000000;
	return (long)r;
}

/* A pointer that no call may accept (unmapped, kernel, or straddling). */
static long
bad_ptr(void)
{
	uint32_t r = rnd();

	if (r % 4 == 0)
		return rnd_arg();
	return (long)bad_ptrs[r % NBAD];
}

/* Any length: small, page-sized, or huge. */
static long
any_len(void)
{
	static const unsigned long lens[] = {
		0, 1, 4, 16, 100, 4096, 30000, 30001, 0x10000, 0x7FFFFFFF,
		0x80000000, 0xFFFFFFFF, 0xFFFFF000,
	};
	uint32_t r = rnd();

	return r % 3 ? (long)lens[r % 13] : rnd_arg();
}

/* A pointer into scratch (valid) or a bad one, with *bad set. */
static long
any_ptr(int *bad)
{
	if (rnd() % 3 == 0) {
		*bad = 0;
		return (long)(scratch + rnd() % (SCRATCH_LEN - 512));
	}
	*bad = 1;
	return bad_ptr();
}

static void
note(const char *what, long code, long ret)
{
	if (first_error[0] == '\0')
		snprintf(first_error, sizeof(first_error),
			 "%s: code/vector %ld returned %ld", what, code, ret);
}

static void
expect_fail(long code, long ret)
{
	if (ret >= 0) {
		bad_accepted++;
		note("bad pointer accepted", code, ret);
	}
}

/* A call that writes through a1: bad a1 must fail. */
static void
fuzz_out_ptr(long code)
{
	int bad;
	long p = any_ptr(&bad), r;

	if (rnd() % 4 == 0) {		/* read-only text */
		p = (long)((char *)fuzz_out_ptr + rnd() % 64);
		bad = 1;
	}
	r = sys_newsys(code, p, rnd_arg(), rnd_arg(), rnd_arg());
	if (bad)
		expect_fail(code, r);
}

static void
fuzz_mu(long code)
{
	int bad;
	long p = any_ptr(&bad), r;

	if (!bad && rnd() % 2)
		p &= ~3L;		/* aligned, valid */
	if (code == SYS_MU_WAIT) {
		long exp = rnd_arg();

		if (!bad && rnd() % 2)	/* equal: sleeps 1-2 ms */
			exp = *(volatile int *)(p & ~3L);
		r = sys_newsys(code, p, exp, 1 + rnd() % 2, 0);
	} else {
		r = sys_newsys(code, p, (long)rnd() % 4, 0, 0);
	}
	if (bad)
		expect_fail(code, r);
}

static void
fuzz_console(long code)
{
	long p = bad_ptr(), len = any_len(), r;

	if (code == SYS_CONSOLE_WRITE) {
		/* 0xBFFFFFFE is valid for 2 bytes: nothing may be printed */
		if ((unsigned long)p >= 0xBFFF0000UL &&
		    (unsigned long)p < 0xC0000000UL)
			p = (long)0xBFFEFFF0UL;
		if (len == 0)
			len = 1;
		r = sys_newsys(code, p, len, rnd_arg(), 0);
		expect_fail(code, r);
	} else {			/* read: never wait */
		int bad;

		p = any_ptr(&bad);
		sys_newsys(code, p, len, 1, 0);
	}
}

/* SYS_BRK: invalid values must fail; growth is undone afterwards. */
static void
fuzz_brk(void)
{
	long r;

	switch (rnd() % 4) {
	case 0:
		r = sys_brk((unsigned long)(rnd() % 0x40000000));
		expect_fail(SYS_BRK, r);
		break;
	case 1:
		r = sys_brk(0xC0000000UL + rnd() % 0x3FFFFFFF);
		expect_fail(SYS_BRK, r);
		break;
	case 2:
		sys_brk((unsigned long)cur_brk + rnd() % (4 << 20));
		sys_brk((unsigned long)cur_brk);
		break;
	default:			/* 256 MiB .. 1 GiB more: too much */
		sys_brk((unsigned long)cur_brk +
			((rnd() & 0x3FFFFFFF) | 0x10000000));
		sys_brk((unsigned long)cur_brk);
		break;
	}
}

static void
fuzz_segments(long code)
{
	long id = 8 + (long)(rnd() % 64), r;	/* 0-3: PD, 4-7: kept free */
	int bad;

	if (rnd() % 2)
		id = rnd() % 2 ? -(long)(rnd() % 100) - 1 : (long)rnd();
	if (id >= 0 && id < 8)
		id += 8;
	if (code == SYS_SEG_MAP) {
		r = seg_map((capability *)any_ptr(&bad),
			    (unsigned long)rnd_arg(), (unsigned long)any_len(),
			    (long)(rnd() % 8));
		if (r >= 0 && r < 4) {
			note("seg_map returned a PD segment id", code, r);
			bad_accepted++;
		} else if (r >= 4) {
			nmapped++;
			if (seg_unmap(r, (capability *)scratch) < 0)
				note("cannot unmap a mapped segment", code, r);
		}
	} else if (code == SYS_SEG_UNMAP) {
		seg_unmap(id, (capability *)any_ptr(&bad));
	} else {
		seg_grow(id, (unsigned long)any_len());
	}
}

/*
 * New threads start at the exit stub or at a pc outside user space (an
 * unmapped pc inside it is accepted and the thread faults, which ends the
 * process, as it should).
 */
static void
fuzz_newthread(void)
{
	static const unsigned long bad_pc[] = { 0, 0x1000, 0x00100000,
		0x3FFFFFFF, 0xC0000000, 0xC0100000, 0xFFFFFFFF };
	long pc = rnd() % 2 ? (long)fuzz_thread_exit :
		  (long)bad_pc[rnd() % 7];
	long sp = rnd() % 2 ? bad_ptr() : (long)(scratch + SCRATCH_LEN);
	long r;

	r = sys_newthread((void (*)(void))pc, (void *)sp, (void *)rnd_arg());
	if (pc != (long)fuzz_thread_exit)
		expect_fail(SYS_NEWTHREAD, r);
}

/*
 * Real segments in NSLOT places 16 MiB apart: made, grown and shrunk
 * (also while mapped twice), unmapped to capabilities, mapped again by
 * them, destroyed.  After a grow the whole new length must be mapped:
 * the last byte is touched (a fault would end the program).
 */
#define SLOT_VA		0xB0000000u	/* never a rnd_arg() */
#define SLOT_GAP	(16u << 20)
#define NSLOT		4

static struct {
	long id;		/* mapping id, -1 if none */
	int rw;			/* mapped writable */
	unsigned long len;	/* its length */
	capability cap;		/* a capability for it, if hascap */
	int hascap;
} slot[NSLOT];

/* Every capability a slot ever had, destroyed at the end. */
#define NKEPT		512
static capability kept[NKEPT];
static int nkept;

static void
keep_cap(const capability *cap)
{
	if (nkept < NKEPT)
		kept[nkept++] = *cap;
}

static void
slot_touch(int i)
{
	volatile unsigned char *p = (unsigned char *)(SLOT_VA + i * SLOT_GAP);

	if (slot[i].len == 0)
		return;
	if (slot[i].rw)
		p[slot[i].len - 1] = (unsigned char)rnd();
	else
		(void)p[slot[i].len - 1];
}

/* The length a cap's segment has (BS_SIZE), or 0. */
static unsigned long
cap_len(capability *cap)
{
	header h;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = BS_SIZE;
	if (rpc_trans(&h, NULL, 0, &h, NULL, 0) < 0 || h.h_status != STD_OK)
		return 0;
	return (unsigned long)h.h_offset;
}

static void
slot_map(int i, capability *cap)
{
	unsigned long va = SLOT_VA + i * SLOT_GAP;
	int rw = rnd() % 4 != 0;

	if (cap == NULL) {
		slot[i].len = 1 + rnd() % (256u << 10);
		slot[i].id = seg_map(NULL, va, slot[i].len,
				     VX_MAP_NEW | VX_MAP_RW);
		rw = 1;
	} else {
		slot[i].len = cap_len(cap);
		slot[i].id = seg_map(cap, va, 0, rw ? VX_MAP_RW : 0);
	}
	slot[i].rw = rw;
	if (slot[i].id >= 0) {
		nmapped++;
		slot_touch(i);
	}
}

/* Grow or shrink: every other mapping of the segment follows. */
static void
slot_grow(int i)
{
	unsigned long len = rnd() % (rnd() % 3 ? 1u << 20 : 12u << 20);
	errstat err = seg_grow(slot[i].id, len);

	if (err == STD_OK && !slot[i].rw) {
		note("seg_grow through a read-only mapping", SYS_SEG_GROW, 0);
		bad_accepted++;
	}
	if (err != STD_OK)
		return;
	for (int k = 0; k < NSLOT; k++) {
		if (slot[k].id < 0)
			continue;
		if (k == i || (slot[k].hascap && slot[i].hascap &&
			       memcmp(&slot[k].cap, &slot[i].cap,
				      sizeof(capability)) == 0))
			slot[k].len = len;
		slot_touch(k);
	}
}

static void
fuzz_real_segments(void)
{
	int i = (int)(rnd() % NSLOT), j = (int)(rnd() % NSLOT);

	switch (rnd() % 5) {
	case 0:			/* new, or again by a capability */
		if (slot[i].id >= 0)
			break;
		if (slot[j].hascap && rnd() % 2) {
			slot_map(i, &slot[j].cap);
			if (slot[i].id >= 0 && i != j) {
				slot[i].cap = slot[j].cap;
				slot[i].hascap = 1;
			}
		} else if (!slot[i].hascap) {
			slot_map(i, NULL);
		}
		break;
	case 1:
		if (slot[i].id >= 0)
			slot_grow(i);
		break;
	case 2:				/* unmap, keeping a capability */
		if (slot[i].id < 0)
			break;
		if (nkept == NKEPT)
			break;
		if (seg_unmap(slot[i].id, &slot[i].cap) == STD_OK) {
			slot[i].hascap = 1;
			keep_cap(&slot[i].cap);
		}
		slot[i].id = -1;
		break;
	case 3:				/* unmap, no capability */
		if (slot[i].id >= 0 && seg_unmap(slot[i].id, NULL) != STD_OK)
			note("cannot unmap a mapped segment", SYS_SEG_UNMAP, i);
		slot[i].id = -1;
		break;
	default:			/* destroy (refused while mapped) */
		if (slot[i].hascap && slot[i].id < 0 &&
		    std_destroy(&slot[i].cap) == STD_OK)
			for (int k = 0; k < NSLOT; k++)
				if (slot[k].hascap && slot[k].id < 0 &&
				    memcmp(&slot[k].cap, &slot[i].cap,
					   sizeof(capability)) == 0)
					slot[k].hascap = 0;
		break;
	}
}

static void
slots_release(void)
{
	for (int i = 0; i < NSLOT; i++) {
		if (slot[i].id >= 0)
			seg_unmap(slot[i].id, NULL);
		slot[i].id = -1;
	}
	for (int i = 0; i < nkept; i++)
		std_destroy(&kept[i]);
}

/*
 * Random requests to the kernel servers (not the tty: a read waits for
 * input): random commands, offsets, sizes and bodies, bad buffers, the
 * server capability, a segment's, or a forged one.
 */
static capability ksvr_cap[4];
static int nksvr;

static void
ksvr_setup(void)
{
	static const char *const names[] = { PROCESS_SVR_NAME,
		RANDOM_SVR_NAME, TOD_SVR_NAME, SYS_SVR_NAME };

	for (int i = 0; i < 4; i++)
		if (kdir_lookup(NULL, names[i], &ksvr_cap[nksvr]) == STD_OK)
			nksvr++;
}

/* A bad buffer for any length (not the top of the stack: 0xBFFFFFFE). */
static long
bad_buf(void)
{
	unsigned long p = (unsigned long)bad_ptr();

	return p >= 0xBFFF0000UL && p < 0xC0000000UL ? (long)0xC0000000UL
						      : (long)p;
}

static int32
rnd_field(void)
{
	static const int32 edge[] = { 0, 1, -1, 4096, 30000, 32768, 0x7FFF,
		0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, (int32)0x80000000,
		(int32)0xFFFFF000 };

	return rnd() % 2 ? edge[rnd() % 13] : (int32)rnd();
}

static command
rnd_command(void)
{
	static const command cmds[] = { STD_INFO, STD_STATUS, STD_RESTRICT,
		STD_DESTROY, BS_READ, BS_SIZE, PS_SEG_WRITE, PS_SEG_CREATE,
		PS_EXEC, PS_GETDEF, PS_GETLOAD, PS_GETOWNER, PS_SETOWNER,
		PS_STUN, RND_GETRANDOM, TOD_GETTIME, SYS_PRINTBUF, SYS_KSTAT,
		SP_LIST, SP_LOOKUP, SYS_DEV_PORTS, SYS_DEV_IRQ, SYS_DEV_PCI,
		SYS_DEV_DMA };

	return rnd() % 8 ? cmds[rnd() % 24] : (command)rnd();
}

static void
fuzz_kserver(void)
{
	capability *cap = &ksvr_cap[rnd() % (nksvr ? nksvr : 1)];
	int bad1 = 0, bad2 = 0;
	long b1, b2, n1, n2, r;
	command cmd;
	header h;

	if (nksvr == 0)
		return;
	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	if (rnd() % 4 == 0 && slot[rnd() % NSLOT].hascap)
		h.h_priv = slot[rnd() % NSLOT].cap.cap_priv;
	else if (rnd() % 8 == 0)
		for (unsigned i = 0; i < sizeof(h.h_priv); i++)
			((unsigned char *)&h.h_priv)[i] = (unsigned char)rnd();
	h.h_command = rnd_command();
	h.h_offset = rnd_field();
	h.h_size = (bufsize)rnd_field();
	h.h_extra = (uint16)rnd_field();
	n1 = rnd() % 2 ? (long)(rnd() % 512) : (long)(rnd() % 30000);
	n2 = rnd() % 2 ? (long)(rnd() % SCRATCH_LEN) : any_len();
	b1 = rnd() % 4 ? (long)scratch : (bad1 = 1, bad_buf());
	b2 = rnd() % 4 ? (long)scratch : (bad2 = 1, bad_buf());
	if ((unsigned long)n1 > SCRATCH_LEN && !bad1)
		n1 = SCRATCH_LEN;
	if ((unsigned long)n2 > SCRATCH_LEN && !bad2)
		n2 = SCRATCH_LEN;
	for (long i = 0; i + 4 <= n1 && !bad1; i += 4)
		*(uint32_t *)(scratch + i) = rnd();
	cmd = h.h_command;
	r = rpc_trans(&h, (bufptr)b1, n1, &h, (bufptr)b2, n2);
	if ((bad1 && n1) || (bad2 && n2))
		expect_fail(60, r);
	if (r >= 0 && h.h_status == STD_OK && cmd == PS_SEG_CREATE) {
		capability made = { h.h_port, h.h_priv };

		std_destroy(&made);	/* else it would live on */
	}
	nkserver++;
}

/* Codes with no Amoeba or VX meaning must give STD_COMBAD. */
static long
unknown_code(void)
{
	static const long odd[] = { -1, -100, 0x7FFFFFFF, (long)0x80000000,
				    SYS_MAX, 1000, 65536 + SYS_NULL };
	long c;

	if (rnd() % 4 == 0)
		return odd[rnd() % 7];
	do {
		c = (long)(rnd() % 300);
	} while ((c >= 14 && c <= 17) || (c >= 24 && c <= 52) || c == 56 ||
		 (c >= 100 && c < SYS_MAX) ||
		 (c >= SYS_DEV_FIRST && c <= SYS_DEV_LAST) ||
		 (c >= SYS_LIPC_TRANS && c <= SYS_LIPC_REPLYGET));
	return c;
}

static void
fuzz_unknown(void)
{
	long c = unknown_code();
	long r = sys_newsys(c, rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg());

	if (r != STD_COMBAD) {
		combad_wrong++;
		note("unknown newsys code", c, r);
	}
}

/* Amoeba codes VX does not implement: only harmless arguments. */
static void
fuzz_reserved(void)
{
	static const long codes[] = { 14, 29, 30, 31, 35, 36, 37, 38, 39, 40,
				      41, 42, 43, 48, 49, 50, 51, 52, 56 };

	sys_newsys(codes[rnd() % 19], bad_ptr(), any_len(), bad_ptr(),
		   bad_ptr());
}

/* The device-grant calls (amoeba/dev.h) without a grant: bad pointers
 * or random bytes as the capability; every one must fail. */
static void
fuzz_dev(void)
{
	static capability junk;
	long c = SYS_DEV_FIRST + (long)(rnd() % (SYS_DEV_LAST -
						  SYS_DEV_FIRST + 1));
	long cap = rnd() % 2 ? bad_ptr() : (long)&junk;

	for (unsigned i = 0; i < sizeof(junk); i += 4)
		((uint32_t *)&junk)[i / 4] = rnd();
	expect_fail(c, sys_newsys(c, cap, rnd() % 2 ? bad_ptr() : rnd_arg(),
				  bad_ptr(), rnd_arg()));
}

static void
fuzz_newsys(void)
{
	static const long simple[] = {
		SYS_THREADSWITCH, SYS_GETLOCAL, SYS_MILLI, SYS_NULL,
		SYS_THREAD_GET_MAX_PRIO, SYS_GETPID, SYS_THREAD_SET_PRIORITY,
		SYS_PROC_SET_PRIORITY, SYS_THREAD_EN_PREEMPT, SYS_SLEEP,
	};
	long c;

	switch (rnd() % 16) {
	case 0:
		fuzz_unknown();
		break;
	case 1:
		fuzz_reserved();
		break;
	case 2:
		c = (long[]){ SYS_GETTIME, SYS_MICRO, SYS_STATS,
			      SYS_GETINFO }[rnd() % 4];
		fuzz_out_ptr(c);
		break;
	case 3:
		fuzz_mu(rnd() % 2 ? SYS_MU_WAIT : SYS_MU_WAKE);
		break;
	case 4:
		fuzz_console(rnd() % 2 ? SYS_CONSOLE_WRITE : SYS_CONSOLE_READ);
		break;
	case 5:
		fuzz_brk();
		break;
	case 6:
		fuzz_segments((long[]){ SYS_SEG_MAP, SYS_SEG_UNMAP,
					SYS_SEG_GROW }[rnd() % 3]);
		break;
	case 7:
		fuzz_newthread();
		break;
	case 8:
		fuzz_real_segments();
		break;
	case 9:
		fuzz_kserver();
		break;
	case 10:
		fuzz_dev();
		break;
	default:
		c = simple[rnd() % 10];
		if (c == SYS_SLEEP)
			sys_newsys(c, rnd() % 2 ? (long)(rnd() % 2) :
				   (long)(rnd() | 0x80000000), 0, 0, 0);
		else
			sys_newsys(c, (long)(rnd() % 8) - 2, rnd_arg(),
				   rnd_arg(), rnd_arg());
		break;
	}
}

/* The RPC vectors with a bad header, or a null port (fails at once). */
static void
fuzz_rpc(int vec)
{
	long regs[7], r;
	int i, hdr_bad = rnd() % 4 != 0;
	long hdr = hdr_bad ? bad_ptr() : (long)&null_hdr;

	for (i = 0; i < 7; i++)
		regs[i] = rnd() % 2 ? bad_ptr() : any_len();
	memset(&null_hdr, 0, sizeof(null_hdr));
	switch (vec) {
	case 50:			/* getreq: EDI = hdr */
	case 58:
		hdr = bad_ptr();
		hdr_bad = 1;
		regs[5] = hdr;
		break;
	case 51:			/* putrep: ESI = hdr; never serving */
	case 59:
		regs[4] = hdr;
		hdr_bad = 1;
		break;
	default:			/* trans: ESI = hdr1 */
		regs[4] = hdr;
		if (!hdr_bad)
			hdr_bad = 1;	/* a null port fails too */
		break;
	}
	r = fuzz_trap(regs, vec);
	if (hdr_bad)
		expect_fail(vec, r);
}

static void
fuzz_vector(void)
{
	static const int unused[] = { 55, 56, 61, 62, 63 };
	static const int rpc[] = { 50, 51, 52, 58, 59, 60 };
	long regs[7], r;
	int i, v;

	switch (rnd() % 4) {
	case 0:
		v = unused[rnd() % 5];
		for (i = 0; i < 7; i++)
			regs[i] = rnd_arg();
		r = fuzz_trap(regs, v);
		if (r != STD_COMBAD) {
			combad_wrong++;
			note("unused vector", v, r);
		}
		break;
	case 1:
		for (i = 0; i < 7; i++)
			regs[i] = rnd_arg();
		regs[1] = (long)(rnd() % 100000);	/* timeout(ms) */
		fuzz_trap(regs, 54);
		break;
	default:
		fuzz_rpc(rpc[rnd() % 6]);
		break;
	}
}

static uint32_t
checksum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;

	while (n--)
		s = s * 31 + *p++;
	return s;
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	unsigned long i;
	uint32_t text_sum, guard_sum;
	long old_timeout;
	struct vx_stats st0, st1;
	char *p;

	rng_state = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 1;
	if (rng_state == 0)
		rng_state = 1;
	printf("# test_sysfuzz: %lu calls, seed %u\n", n, (unsigned)rng_state);
	for (i = 0; i < GUARD_LEN; i++)
		guard[i] = (unsigned char)(i * 13 + 5);
	guard_sum = checksum(guard, GUARD_LEN);
	text_sum = checksum((unsigned char *)0x40000000,
			    (size_t)(etext - (char *)0x40000000));
	cur_brk = sys_brk(0);
	sys_stats(&st0);
	for (i = 0; i < NSLOT; i++)
		slot[i].id = -1;
	ksvr_setup();
	old_timeout = timeout(5000);
	for (i = 0; i < n; i++, ncalls++) {
		if (rnd() % 5 == 0)
			fuzz_vector();
		else
			fuzz_newsys();
	}
	timeout(old_timeout);
	thread_set_prio(VX_PRIO_NORM);
	sys_proc_set_priority(VX_PRIO_NORM);
	thread_en_preempt(0);
	slots_release();
	CHECK(ncalls == n, "every random call returned");
	CHECK(nksvr == 4 && nkserver > 0, "kernel servers were fuzzed");
	threadswitch();			/* let exiting threads finish */
	sys_sleep(20);
	sys_stats(&st1);
	printf("# %lu segments mapped, %lu kernel server requests; free pages "
	       "%u -> %u, threads %u -> %u\n", nmapped, nkserver,
	       st0.free_pages, st1.free_pages, st0.nthreads, st1.nthreads);
	CHECK(st1.free_pages + 64 >= st0.free_pages, "no pages leaked");
	CHECK(st1.nthreads <= st0.nthreads, "no threads left behind");
	if (first_error[0])
		printf("# first problem: %s\n", first_error);
	CHECK(bad_accepted == 0, "calls given bad pointers all failed");
	CHECK(combad_wrong == 0, "unknown codes and vectors give STD_COMBAD");
	CHECK(checksum((unsigned char *)0x40000000,
		       (size_t)(etext - (char *)0x40000000)) == text_sum,
	      "program text unchanged");
	CHECK(checksum(guard, GUARD_LEN) == guard_sum, "guard area unchanged");
	CHECK(sys_brk(0) == cur_brk, "heap break restored");
	p = malloc(100000);
	CHECK(p != NULL && memset(p, 1, 100000) == p, "malloc still works");
	free(p);
	CHECK(sys_null() == 0, "sys_null still works");
	return TEST_DONE();
}
