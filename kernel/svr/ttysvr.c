/*
 * ttysvr.c - the kernel tty server: the console (serial port, VGA) as an
 * RPC server, so that a process on any node can read and write it.
 * TTQ_READ returns an edited line (backspace, ^U, ^D at line start =
 * end of file) or, with h_extra = TTY_READ_RAW, one character;
 * TTQ_WRITE prints; std_status reports the counters.
 */
#include <string.h>

#include "arch.h"
#include "conin.h"
#include "klib.h"
#include "ksvr.h"
#include "procsvr.h"
#include <server/tty/tty.h>
#include <stderr.h>

static uint32_t nread, nwritten;

static uint32_t
tty_read(struct ksvr_req *r)
{
	uint32_t want = MIN(r->h->h_size, r->repmax);
	int n;

	if (want == 0) {
		r->h->h_status = STD_OK;
		return 0;
	}
	if (r->h->h_extra == TTY_READ_RAW) {
		int c = conin_getc(false);

		n = c < 0 ? 0 : 1;
		if (n)
			r->rep[0] = (uint8_t)c;
	} else {
		n = conin_readline((char *)r->rep, (int)want);
	}
	nread += (uint32_t)n;
	r->h->h_size = (bufsize)n;
	r->h->h_extra = n == 0 ? FSE_NOMOREDATA : FSE_MOREDATA;
	r->h->h_status = STD_OK;
	return (uint32_t)n;
}

static uint32_t
tty_write(struct ksvr_req *r)
{
	const char *p = (const char *)r->req;

	for (uint32_t i = 0; i < r->reqlen; i++) {
		if (p[i] == '\n')
			console_putc('\r');
		console_putc(p[i]);
	}
	nwritten += r->reqlen;
	r->h->h_size = (bufsize)r->reqlen;
	r->h->h_offset = (int32)r->reqlen;
	r->h->h_status = STD_OK;
	return 0;
}

static uint32_t
tty_status(struct ksvr *s, char *buf, uint32_t max)
{
	int n;

	(void)s;
	n = ksnprintf(buf, max, "console: %u bytes read, %u written\n",
		      nread, nwritten);
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
		return tty_read(r);
	case TTQ_WRITE:
		return tty_write(r);
	case TTQ_STATUS:
		r->h->h_status = STD_OK;
		return tty_status(s, (char *)r->rep, r->repmax);
	case TTQ_CLOSE:
		r->h->h_status = STD_OK;
		return 0;
	default:
		r->h->h_status = (command)STD_COMBAD;
		return 0;
	}
}

static struct ksvr tty_svr = {
	.name = TTY_SVR_NAME, .info = "+ console terminal",
	.nthreads = 3, .handle = tty_handle, .status = tty_status,
};

void
ttysvr_init(void)
{
	ksvr_start(&tty_svr);
}

/* ttysvr_cap: the console's capability, for new processes' STDIN etc. */
void
ttysvr_cap(capability *cap)
{
	ksvr_cap(&tty_svr, PRV_ALL_RIGHTS, cap);
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
