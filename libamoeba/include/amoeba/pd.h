/*
 * amoeba/pd.h - process descriptors in the Amoeba 5.3 i386 layout
 * (spec 8.1): a 44-byte header, pd_nseg 32-byte segment descriptors and
 * pd_nthread variable-length thread descriptors, all little-endian.
 *
 * pd_get parses a marshalled descriptor into struct pd_info (checking
 * every length), pd_put writes one.  Used by the kernel's process server,
 * by boot/tools/mkpd and by the exec library.
 */
#ifndef AMOEBA_PD_H
#define AMOEBA_PD_H

#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>

#define PD_ARCH "i80386"
#define PD_HDRSIZE 44
#define PD_SEGSIZE 32
#define PD_THREADSIZE 12
#define PD_MAXSEG 16
#define PD_MAXTHREAD 8
#define MAX_PDSIZE 30000

/* sd_type bits */
#define MAP_GROWMASK 0x0000000F
#define MAP_GROWNOT 0x00000000
#define MAP_GROWUP 0x00000001
#define MAP_GROWDOWN 0x00000002
#define MAP_TYPEMASK 0x000000F0
#define MAP_TYPETEXT 0x00000010
#define MAP_TYPEDATA 0x00000020
#define MAP_PROTMASK 0x00000F00
#define MAP_READONLY 0x00000100
#define MAP_READWRITE 0x00000300
#define MAP_INPLACE 0x01000000
#define MAP_AND_DESTROY 0x02000000
#define MAP_BINARY 0xF0000000
#define MAP_SYSTEM 0x80000000
#define MAP_SYMTAB 0x40000000
#define MAP_NEW_SYMTAB 0x20000000

/* thread descriptor extras */
#define TDX_IDLE 0x00000001
#define TDX_KSTATE 0x00000002
#define TDX_USTATE 0x00010000
#define TDX_VXFPU 0x00020000	/* VX: 512-byte fxsave area after USTATE */
#define TDX_VXNAME 0x00040000	/* VX: the process name, 32 bytes, last */
#define PD_NAMESIZE 32
#define PD_KSTATESIZE 20	/* timeout, sigvec, svlen, signal, local */
#define PD_USTATESIZE 80	/* the i386 fault frame, 20 words (spec 8.1) */
#define PD_FPUSIZE 512
#define TDX_RUNNING (TDX_KSTATE | TDX_USTATE)	/* a checkpointed thread */

struct pd_segment {
	capability sd_cap;   /* where the contents come from (null: file/zero) */
	int32_t sd_offset;   /* offset of the contents in sd_cap's object */
	uint32_t sd_addr;    /* virtual address */
	uint32_t sd_len;     /* length in bytes */
	uint32_t sd_type;    /* MAP_* bits */
};

/*
 * A thread: fresh (TDX_IDLE: pc, sp) or checkpointed (TDX_KSTATE |
 * TDX_USTATE, optionally TDX_VXFPU): kstate, the fault frame ustate
 * (cr3, gs, fs, es, ds, edi, esi, ebp, esp slot, ebx, edx, ecx, eax,
 * trapno, err, eip, cs, eflags, user esp, ss), the FPU state, which
 * pd_get points into the parsed buffer and pd_put copies from, and the
 * process name (TDX_VXNAME, on the first thread of a checkpoint).
 * A checkpointed thread is marshalled as: the 12-byte thread_d, kstate
 * (20), the fault frame (80), then the VX extras that are set, in bit
 * order: the fxsave area (512), the name (32, NUL padded).
 */
struct pd_thread {
	int32_t td_state;    /* thread state bits */
	int32_t td_extra;    /* TDX_* */
	uint32_t pc;         /* TDX_IDLE: start address */
	uint32_t sp;         /* TDX_IDLE: stack pointer (0 = kernel decides) */
	uint32_t kstate[PD_KSTATESIZE / 4];	/* TDX_KSTATE */
	uint32_t ustate[PD_USTATESIZE / 4];	/* TDX_USTATE */
	const uint8_t *fpu;  /* TDX_VXFPU: PD_FPUSIZE bytes */
	char name[PD_NAMESIZE];	/* TDX_VXNAME: the process name */
};

struct pd_info {
	char magic[8];                   /* architecture, NUL padded */
	capability self;                 /* process capability */
	capability owner;                /* owner (exit checkpoints) */
	int nseg;
	int nthread;
	struct pd_segment seg[PD_MAXSEG];
	struct pd_thread thread[PD_MAXTHREAD];
};

/*
 * pd_get: parse len bytes at buf.  Returns the descriptor's size in
 * bytes, or a negative errstat (STD_ARGBAD for a malformed or truncated
 * descriptor, STD_COMBAD for a foreign architecture).  Fresh threads
 * (TDX_IDLE) and checkpointed ones (TDX_RUNNING, with or without
 * TDX_VXFPU) are accepted.
 */
int pd_get(const uint8_t *buf, size_t len, struct pd_info *pd);
/* pd_size: the marshalled size of pd. */
size_t pd_size(const struct pd_info *pd);
/* pd_put: marshal pd into buf; returns its size or -1 if it won't fit. */
int pd_put(const struct pd_info *pd, uint8_t *buf, size_t len);

/* A named capability for a new process's capability environment. */
struct cap_env {
	const char *name;
	capability cap;
};

/*
 * pd_buildstack (buildstack.c): lay out argv (NULL = {"-"}), envp and
 * the ncaps capabilities of caps at the top of buf (len bytes, at user
 * address va) as spec 8.4 says; *sp = the user stack pointer ([sp] =
 * argc, argv, envp, capv).  STD_NOSPACE when it does not fit.
 * pd_stackneed: the bytes that layout takes.
 */
errstat pd_buildstack(uint8_t *buf, uint32_t len, uint32_t va,
		      const char *const *argv, const char *const *envp,
		      const struct cap_env *caps, int ncaps, uint32_t *sp);
uint32_t pd_stackneed(const char *const *argv, const char *const *envp,
		      const struct cap_env *caps, int ncaps);

#endif /* AMOEBA_PD_H */
