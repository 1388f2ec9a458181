/*
 * child.h - tiny child processes for the user tests, started through the
 * kernel process server (PS_EXEC with a hand-built process descriptor).
 *
 * There is no fork: a test that needs a second process builds a PD
 * whose text segment is a copy of the test's own text (passed by
 * segment capability, at the same address, so its functions and the
 * library's system-call stubs work unchanged), plus a small data page
 * holding the child's parameters (at CHILD_DATA), a zeroed buffer and
 * optionally one extra segment.  The child runs one of the functions
 * below, which touch no global data (the child has none) - only the
 * fixed addresses and system calls:
 *
 *   child_fault_main: trans(CHILD_DATA hdr) to tell the parent it has
 *                 started, then writes to CHILD_EXTRA and, if it
 *                 survives, sleeps forever (so the parent sees the
 *                 process vanish only if the write faulted).
 *   child_echo_main: an echo server: getreq on the get-port kept at
 *                 CHILD_DATA + 32, putrep of the same bytes, forever.
 *   child_dump_main: a server on that port replying with the first
 *                 CHILD_DUMPLEN bytes of CHILD_EXTRA, forever.
 *
 * child_exec() returns the process capability; child_gone() polls
 * std_info on it until the process server no longer knows it.
 *
 * Included by exactly one .c file per program (static functions).
 */
#ifndef TESTS_USER_CHILD_H
#define TESTS_USER_CHILD_H

#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <amoeba/pd.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/process/proc.h>

#define CHILD_TEXT	0x40000000u	/* our text, copied */
#define CHILD_DATA	0x50100000u	/* parameters: hdr at +0, get-port at +32 */
#define CHILD_DATALEN	256u
#define CHILD_BUF	0x50200000u	/* echo buffer (zero-filled) */
#define CHILD_BUFLEN	32768u
#define CHILD_EXTRA	0x50400000u	/* the segment the fault child writes */
#define CHILD_TMP	0x50800000u	/* where the text copy is made */
#define CHILD_DUMPLEN	64u

extern char etext[];			/* end of text (user.ld) */

static void __attribute__((noreturn, noinline, used))
child_fault_main(void)
{
	rpc_trans((header *)CHILD_DATA, NULL, 0,
		  (header *)(CHILD_DATA + 64), NULL, 0);
	*(volatile int *)CHILD_EXTRA = 0x55;
	for (;;)
		sys_sleep(100000);
}

static void __attribute__((noreturn, noinline, used))
child_echo_main(void)
{
	header *h = (header *)CHILD_DATA;
	int32 n;

	for (;;) {
		memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
		n = rpc_getreq(h, (bufptr)CHILD_BUF, CHILD_BUFLEN);
		rpc_putrep(h, (bufptr)CHILD_BUF, n < 0 ? 0 : n);
	}
}

static void __attribute__((noreturn, noinline, used))
child_dump_main(void)
{
	header *h = (header *)CHILD_DATA;

	for (;;) {
		memcpy(&h->h_port, (void *)(CHILD_DATA + 32), sizeof(port));
		rpc_getreq(h, NULL, 0);
		rpc_putrep(h, (bufptr)CHILD_EXTRA, CHILD_DUMPLEN);
	}
}

/*
 * child_exec - start a child running code[0..codelen) with the data page
 * data[0..CHILD_DATALEN) and, if extra is not NULL, a segment at
 * CHILD_EXTRA holding extralen bytes of extra (mapped read-only unless
 * extra_rw) - or, if extra_cap is not NULL, the first extralen bytes of
 * that segment capability.  STD_OK and the process capability in *pcap,
 * else an error.
 */
static errstat
child_exec(void (*entry)(void), const char *data, const char *extra,
	   unsigned extralen, int extra_rw, const capability *extra_cap,
	   capability *pcap)
{
	static uint8_t img[8192];
	unsigned textlen = (unsigned)(etext - (char *)CHILD_TEXT);
	struct pd_info pd;
	capability ps, text;
	long id;
	header h;
	errstat err;
	int n, off, s = 0;
	int32 r;

	err = kdir_lookup(NULL, PROCESS_SVR_NAME, &ps);
	if (err != STD_OK)
		return err;
	/* the text travels as a segment capability */
	id = seg_map(NULL, CHILD_TMP, textlen, VX_MAP_NEW | VX_MAP_RW);
	if (id < 0)
		return (errstat)id;
	memcpy((void *)CHILD_TMP, (void *)CHILD_TEXT, textlen);
	err = seg_unmap(id, &text);
	if (err != STD_OK)
		return err;
	memset(&pd, 0, sizeof(pd));
	memcpy(pd.magic, PD_ARCH, sizeof(PD_ARCH));
	pd.nthread = 1;
	pd.thread[0].td_extra = TDX_IDLE;
	pd.thread[0].pc = (uint32_t)entry;
	pd.seg[s].sd_cap = text;
	pd.seg[s].sd_addr = CHILD_TEXT;
	pd.seg[s].sd_len = textlen;
	pd.seg[s++].sd_type = MAP_TYPETEXT | MAP_READONLY;
	pd.seg[s].sd_addr = CHILD_DATA;
	pd.seg[s].sd_len = CHILD_DATALEN;
	pd.seg[s++].sd_type = MAP_TYPEDATA | MAP_READWRITE;
	pd.seg[s].sd_addr = CHILD_BUF;
	pd.seg[s].sd_len = CHILD_BUFLEN;
	pd.seg[s++].sd_type = MAP_TYPEDATA | MAP_READWRITE;
	if (extra || extra_cap) {
		if (extra_cap)
			pd.seg[s].sd_cap = *extra_cap;
		pd.seg[s].sd_addr = CHILD_EXTRA;
		pd.seg[s].sd_len = extralen;
		pd.seg[s++].sd_type = MAP_TYPEDATA |
			(extra_rw ? MAP_READWRITE : MAP_READONLY);
	}
	pd.nseg = s;
	/* the contents follow the PD: data, extra */
	off = (int)pd_size(&pd);
	pd.seg[1].sd_offset = off;
	off += CHILD_DATALEN;
	if (extra && !extra_cap) {
		pd.seg[3].sd_offset = off;
		off += (int)extralen;
	}
	if ((unsigned)off > sizeof(img) || (unsigned)off > PSVR_BUFSZ) {
		std_destroy(&text);
		return STD_OVERFLOW;
	}
	n = pd_put(&pd, img, sizeof(img));
	if (n < 0) {
		std_destroy(&text);
		return STD_ARGBAD;
	}
	memcpy(img + pd.seg[1].sd_offset, data, CHILD_DATALEN);
	if (extra && !extra_cap)
		memcpy(img + pd.seg[3].sd_offset, extra, extralen);
	memset(&h, 0, sizeof(h));
	h.h_port = ps.cap_port;
	h.h_priv = ps.cap_priv;
	h.h_command = PS_EXEC;
	h.h_size = (bufsize)off;
	r = rpc_trans(&h, (bufptr)img, off, &h, NULL, 0);
	std_destroy(&text);	/* exec made its own copy */
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	pcap->cap_port = h.h_port;
	pcap->cap_priv = h.h_priv;
	return STD_OK;
}

/* Is the process still known to the process server? */
static int
child_alive(capability *pcap)
{
	char info[80];

	return std_info(pcap, info, sizeof(info), NULL) == STD_OK;
}

/* Wait up to ms for the process to end; 1 if it did. */
static int
child_gone(capability *pcap, int ms)
{
	unsigned long t0 = sys_milli();

	while (child_alive(pcap)) {
		if ((long)(sys_milli() - t0) > ms)
			return 0;
		sys_sleep(10);
	}
	return 1;
}

#endif /* TESTS_USER_CHILD_H */
