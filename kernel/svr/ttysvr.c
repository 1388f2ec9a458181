/*
 * ttysvr.c - the kernel tty servers: each terminal (the console: serial
 * COM1, VGA and keyboard; and every other serial port found) as an RPC
 * server, so that a process on any node can read and write it.  The
 * console is "tty" in the kernel directory, COM2..COM4 are "tty:01" ..
 * "tty:03".  TTQ_READ returns an edited line (backspace, ^U, ^D at line
 * start = end of file) or, with h_extra = TTY_READ_RAW, one character;
 * TTQ_WRITE prints; TTQ_CONTROL TTY_CTL_WAITINTR waits for a ^C (the
 * shell's interrupt key); std_status reports the counters.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/tty.h"
#include "kernel/klib.h"
#include "kernel/svr/ksvr.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "drivers/char/uart.h"
#include <server/tty/tty.h>
#include <stderr.h>

struct ttysvr {
	struct ksvr svr;        /* first: the server loop sees this */
	struct tty *tty;        /* the terminal it serves */
	char name[8];           /* kernel directory entry */
	char info[32];          /* std_info text */
	int readers;            /* threads waiting in TTQ_READ */
};

static struct tty *
tty_of(struct ksvr *s)
{
	return ((struct ttysvr *)s)->tty;
}

/*
 * TTQ_READ.  A read may wait for input for ever, so one server thread is
 * always kept for the other requests: without it, clients that only
 * read (from any node) would stop every process's output.
 */
static uint32_t
tty_read(struct ttysvr *ts, struct ksvr_req *r)
{
	uint32_t want = MIN(r->h->h_size, r->repmax);
	struct tty *t = ts->tty;
	uint32_t ms;
	int n;

	if (want == 0) {
		r->h->h_status = STD_OK;
		return 0;
	}
	if (ts->readers >= ts->svr.nthreads - 1) {
		r->h->h_status = (command)STD_NOTNOW;
		return 0;
	}
	/* TTQ_TIME_READ: h_offset = ms to wait at most (0 = no limit) */
	ms = r->h->h_command == TTQ_TIME_READ && r->h->h_offset > 0 ?
		     (uint32_t)r->h->h_offset : 0;
	ts->readers++;
	if (r->h->h_extra == TTY_READ_RAW) {
		n = tty_readline_raw(t, (char *)r->rep, ms);
	} else {
		n = tty_readline_ms(t, (char *)r->rep, (int)want, ms);
	}
	ts->readers--;
	r->h->h_size = (bufsize)n;
	r->h->h_extra = n == 0 ? FSE_NOMOREDATA : FSE_MOREDATA;
	r->h->h_status = STD_OK;
	return (uint32_t)n;
}

/* TTQ_CONTROL TTY_CTL_WAITINTR: a ^C within h_offset ms?  It holds a
 * server thread like a read, so it counts as a reader.
 * TTY_CTL_CANCELINTR ends such waits. */
static uint32_t
tty_control(struct ttysvr *ts, struct ksvr_req *r)
{
	int32_t ms = r->h->h_offset;

	if (r->h->h_extra == TTY_CTL_CANCELINTR) {
		tty_cancel_intr(ts->tty);
		r->h->h_status = STD_OK;
		return 0;
	}
	if (r->h->h_extra != TTY_CTL_WAITINTR || ms <= 0 || ms > 10000) {
		r->h->h_status = (command)STD_ARGBAD;
		return 0;
	}
	if (ts->readers >= ts->svr.nthreads - 1) {
		r->h->h_status = (command)STD_NOTNOW;
		return 0;
	}
	ts->readers++;
	r->h->h_size = (bufsize)tty_wait_intr(ts->tty, (uint32_t)ms);
	ts->readers--;
	r->h->h_status = STD_OK;
	return 0;
}

static uint32_t
tty_put(struct tty *t, struct ksvr_req *r)
{
	tty_write(t, (const char *)r->req, r->reqlen);
	r->h->h_size = (bufsize)r->reqlen;
	r->h->h_offset = (int32)r->reqlen;
	r->h->h_status = STD_OK;
	return 0;
}

static uint32_t
tty_status(struct ksvr *s, char *buf, uint32_t max)
{
	int n;

	n = ksnprintf(buf, max, "%s: %u bytes read, %u written, %u lost\n",
		      tty_of(s)->name, tty_of(s)->nread, tty_of(s)->nwritten,
		      tty_of(s)->dropped);
	return MIN((uint32_t)n, max - 1);
}

static uint32_t
tty_handle(struct ksvr *s, struct ksvr_req *r)
{
	if (ksvr_check(s, r->h, NULL) != STD_OK) {
		r->h->h_status = (command)STD_CAPBAD;
		return 0;
	}
	switch (r->h->h_command) {
	case TTQ_READ:
	case TTQ_TIME_READ:
		return tty_read((struct ttysvr *)s, r);
	case TTQ_WRITE:
		return tty_put(tty_of(s), r);
	case TTQ_STATUS:
		r->h->h_status = STD_OK;
		return tty_status(s, (char *)r->rep, r->repmax);
	case TTQ_CLOSE:
		r->h->h_status = STD_OK;
		return 0;
	case TTQ_CONTROL:
		return tty_control((struct ttysvr *)s, r);
	default:
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
}

static struct ttysvr console_svr = {
	.svr = { .name = TTY_SVR_NAME, .info = "+ console terminal",
		 .nthreads = 3, .handle = tty_handle, .status = tty_status },
};

/* Serve terminal t as kernel-directory entry name. */
static void
ttysvr_add(struct tty *t, int unit)
{
	struct ttysvr *ts = kzalloc(sizeof(*ts));

	if (ts == NULL)
		return;
	ksnprintf(ts->name, sizeof(ts->name), "%s:%02d", TTY_SVR_NAME, unit);
	ksnprintf(ts->info, sizeof(ts->info), "+ serial terminal %s", t->name);
	ts->tty = t;
	ts->svr.name = ts->name;
	ts->svr.info = ts->info;
	ts->svr.nthreads = 2;
	ts->svr.handle = tty_handle;
	ts->svr.status = tty_status;
	kdir_serve(&ts->svr);
}

void
ttysvr_init(void)
{
	console_svr.tty = &tty_console;
	kdir_serve(&console_svr.svr);
	for (int unit = 1; unit < 4; unit++)
		if (uart_tty(unit))
			ttysvr_add(uart_tty(unit), unit);
}

/* ttysvr_cap: the console's capability, for new processes' STDIN etc. */
void
ttysvr_cap(capability *cap)
{
	ksvr_cap(&console_svr.svr, PRV_ALL_RIGHTS, cap);
}

/* ttysvr_capenv: STDIN, STDOUT, STDERR and TTY, all the console. */
int
ttysvr_capenv(struct cap_env *caps)
{
	static const char *const names[] = { "STDIN", "STDOUT", "STDERR",
					      "TTY" };

	for (int i = 0; i < 4; i++) {
		caps[i].name = names[i];
		ttysvr_cap(&caps[i].cap);
	}
	return 4;
}
