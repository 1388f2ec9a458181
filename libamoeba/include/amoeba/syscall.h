/*
 * amoeba/syscall.h - the VX system-call ABI, shared by the kernel and
 * libamoeba.
 *
 * Trap vectors follow Amoeba 5.3's i386 kernel (spec 10.4).  The return
 * value is in EAX; a negative value is an errstat (stderr.h).  Every
 * pointer and length a user passes is checked by the kernel: a bad one
 * gives STD_ARGBAD (or RPC_BADADDRESS for the RPC calls), never a fault.
 *
 *   INT 50  getreq       EDI = hdr, ESI = buf, EBX = cnt
 *   INT 51  putrep       ESI = hdr, ECX = buf, EBX = cnt
 *   INT 52  trans        ESI = hdr1, EBX = buf1, ECX = cnt1,
 *                        EDI = hdr2, EDX = buf2, EBP = cnt2
 *   INT 53  exitthread   EBX = status
 *   INT 54  timeout      EBX = ms; returns the previous locate timeout
 *   INT 57  newsys       ESI = code, EBX = a1, ECX = a2, EDX = a3, EDI = a4
 *   INT 58  rpc_getreq   as 50, 32-bit sizes
 *   INT 59  rpc_putrep   as 51, 32-bit sizes
 *   INT 60  rpc_trans    as 52, 32-bit sizes
 *   any other vector 50..63: STD_COMBAD
 *
 * The old calls (50-52) take bufsize counts and reject more than 30000
 * bytes; the rpc_ calls take 32-bit counts up to RPC_MAXMESSAGE.
 */
#ifndef AMOEBA_SYSCALL_H
#define AMOEBA_SYSCALL_H

#define VX_INT_GETREQ 50
#define VX_INT_PUTREP 51
#define VX_INT_TRANS 52
#define VX_INT_EXITTHREAD 53
#define VX_INT_TIMEOUT 54
#define VX_INT_NEWSYS 57
#define VX_INT_RPC_GETREQ 58
#define VX_INT_RPC_PUTREP 59
#define VX_INT_RPC_TRANS 60

/*
 * newsys codes.  Those with an Amoeba 5.3 counterpart keep its number;
 * VX's own start at 100.
 */
#define SYS_GETINFO 15          /* (cap *, pd buf, len) -> pd length */
#define SYS_EXITPROCESS 16      /* (status) -> never returns */
#define SYS_THREADSWITCH 17     /* () yield to other threads */
#define SYS_SEG_MAP 24          /* (cap *, va, len, flags) -> seg id; VX_MAP_NEW: cap unused */
#define SYS_SEG_UNMAP 25        /* (seg id, cap * out or 0) -> 0; with out, the segment lives on as *out */
#define SYS_SEG_GROW 26         /* (seg id, new length) -> 0 */
#define SYS_MU_WAIT 27          /* (int *addr, expected, timeout ms; 0 = forever) -> 0, STD_NOTNOW on timeout */
#define SYS_MU_WAKE 28          /* (int *addr, max threads) -> woken */
#define SYS_NEWTHREAD 32        /* (pc, sp, local) -> thread index */
#define SYS_GETLOCAL 33         /* () -> this thread's local word */
#define SYS_MILLI 34            /* () -> milliseconds since boot */
#define SYS_GRP_CREATE 35       /* (struct vx_grp_args *) -> gid (spec 10.4 numbers) */
#define SYS_GRP_JOIN 36         /* (header *) -> gid */
#define SYS_GRP_LEAVE 37        /* (gid, header *) -> 0 */
#define SYS_GRP_SEND 38         /* (gid, header *, buf, cnt) -> 0 */
#define SYS_GRP_RECEIVE 39      /* (struct vx_grp_args *) -> data length */
#define SYS_GRP_RESET 40        /* (gid, header *, n) -> new size */
#define SYS_GRP_INFO 41         /* (struct vx_grp_args *) -> 0 */
#define SYS_GRP_SET 42          /* (struct vx_grp_args *) -> 0 */
#define SYS_GRP_FORWARD 43      /* (gid, port *, memid) -> 0 */
#define SYS_NULL 44             /* () -> 0 */
#define SYS_THREAD_GET_MAX_PRIO 45 /* () -> highest thread priority (0 = HIGH) */
#define SYS_THREAD_SET_PRIORITY 46 /* (prio) -> old prio; PRIO_HIGH 0 .. LOW 2 */
#define SYS_THREAD_EN_PREEMPT 47   /* (on) -> old: threads of this process preempt each other */

#define SYS_CONSOLE_WRITE 100   /* (buf, len) -> bytes written */
#define SYS_CONSOLE_READ 101    /* (buf, len, flags) -> bytes read; flag 1 = no wait */
#define SYS_BRK 102             /* (new break or 0) -> current break */
#define SYS_GETTIME 103         /* (struct vx_time *) -> 0 */
#define SYS_SLEEP 104           /* (ms) -> 0, STD_INTR when a signal came */
#define SYS_PROC_SET_PRIORITY 105 /* (prio) -> old process priority */
#define SYS_MICRO 106           /* (uint64 *out) -> 0: microseconds since boot */
#define SYS_GETPID 107          /* () -> process id on this node */
#define SYS_STATS 108           /* (struct vx_stats *) -> 0 */
#define SYS_SETVEC 109          /* (sig_vector *, n) -> 0: this thread's catchers */
#define SYS_SIGRET 110          /* (thread_ustate *) resume from it (no return) */
#define SYS_SIGRAISE 111        /* (signum) -> 0: every thread catching it */
#define SYS_SIGBLOCK 112        /* (on) -> old: hold delivery back */
#define SYS_MAX 113

/*
 * Local IPC with shared segments (module/lipc.h), a block of their own
 * (140 .. 149 is the device block, amoeba/dev.h).
 */
#define SYS_LIPC_TRANS 160      /* (struct vx_lipc_trans *) -> reply length */
#define SYS_LIPC_GETREQ 161     /* (header *, struct lipc_req *) -> request length */
#define SYS_LIPC_PUTREP 162     /* (header *, n) -> 0 */
#define SYS_LIPC_KEEP 163       /* () -> handle */
#define SYS_LIPC_KEPT 164       /* (handle, struct lipc_req *) -> 0 */
#define SYS_LIPC_RELEASE 165    /* (handle) -> 0 */
#define SYS_LIPC_REPLYGET 166   /* (rep header *, n, header *, struct lipc_req *) -> request length */

/* Priorities (threads and processes). */
#define VX_PRIO_HIGH 0
#define VX_PRIO_NORM 1
#define VX_PRIO_LOW 2

#ifndef __ASSEMBLER__	/* the structs are C only; the numbers serve .S too */
/* The group calls with more arguments than registers (SYS_GRP_*). */
struct vx_grp_args {
	int32_t gid;
	uint32_t port;          /* port * */
	uint32_t hdr;           /* header * (receive) */
	uint32_t buf;           /* data buffer (receive); memlist (info) */
	uint32_t cnt;           /* its size (receive); entries (info) */
	uint32_t more;          /* int * (receive); grpstate_t * (info) */
	uint32_t a[4];          /* create: resilience, maxgroup, nbuf,
				   maxmess; set: sync, reply, alive, large */
};

struct vx_time {
	long long sec;       /* seconds since 1970 */
	long usec;           /* microseconds */
};

struct vx_stats {
	unsigned free_pages;   /* free physical pages */
	unsigned total_pages;  /* managed physical pages */
	unsigned nthreads;     /* live threads (kernel and user) */
	unsigned nprocs;       /* live processes */
	unsigned switches;     /* context switches since boot */
	unsigned preemptions;  /* user threads preempted */
};
#endif /* __ASSEMBLER__ */

/* SYS_SEG_MAP flags. */
#define VX_MAP_RW 0x1           /* map writable (else read-only) */
#define VX_MAP_NEW 0x2          /* a fresh zeroed segment; cap unused */

#endif /* AMOEBA_SYSCALL_H */
