/*
 * term.c - run_capv for Linux programs (module/run.h): a terminal server
 * in the calling process, so a program it starts on a node (ax, vax, a
 * Linux program using run_prog) reads the caller's standard input and
 * writes to its standard output and error.
 *
 * The first call starts TERM_NTHREAD Amoeba threads on a port of their
 * own, serving three objects with the tty protocol (server/tty/tty.h):
 * STDIN answers TTQ_READ and TTQ_TIME_READ from descriptor 0 (end of
 * file: no bytes, h_extra FSE_NOMOREDATA), STDOUT and STDERR answer
 * TTQ_WRITE to descriptors 1 and 2 (reply h_size = bytes written).
 * Every capability has its own random check field.  $ROOT and $WORK
 * (capabilities as 32 hex digits, see getcap in rpc.c) are added when
 * set.  The Linux reads and writes run outside the Amoeba CPU lock
 * (amunix_leave), so the other threads go on meanwhile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <amunix.h>
#include <caplist.h>
#include <stdcom.h>
#include <stderr.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/rnd.h>
#include <module/run.h>
#include <server/tty/tty.h>

#define TERM_NTHREAD	3
#define TERM_CHUNK	8192		/* most bytes of one read or write */
#define TERM_BUF	(TERM_CHUNK + 64)

enum { T_STDIN, T_STDOUT, T_STDERR, T_N };

static const char *const term_names[T_N] = { "STDIN", "STDOUT", "STDERR" };
static port term_get;
static port term_check[T_N];
static capability term_caps[T_N + 2];
static struct caplist term_capv[T_N + 3];
static mutex term_lock;
static int term_started;

/* The object h's capability names (checked), or -1. */
static int
term_object(header *h)
{
	objnum obj = prv_number(&h->h_priv);
	rights_bits r;

	if (obj >= T_N || prv_decode(&h->h_priv, &r, &term_check[obj]) < 0)
		return -1;
	return (int)obj;
}

static bufsize
term_write(int obj, header *h, const char *buf, long len)
{
	long done = 0, n;

	amunix_leave();
	while (done < len && (n = write(obj == T_STDOUT ? 1 : 2, buf + done,
					(size_t)(len - done))) > 0)
		done += n;
	amunix_enter();
	h->h_status = STD_OK;
	h->h_size = (bufsize)done;
	return 0;
}

static bufsize
term_read(header *h, char *buf)
{
	long want = h->h_size > TERM_CHUNK ? TERM_CHUNK : h->h_size, n;

	amunix_leave();
	do
		n = read(0, buf, (size_t)want);
	while (n < 0 && errno == EINTR);
	amunix_enter();
	if (n < 0)
		n = 0;
	h->h_status = STD_OK;
	h->h_extra = n == 0 ? FSE_NOMOREDATA : FSE_MOREDATA;
	h->h_size = (bufsize)n;
	return (bufsize)n;
}

static void
term_thread(char *param, int psize)
{
	char *buf = malloc(TERM_BUF);
	header h;
	int32 n;

	(void)param;
	(void)psize;
	if (buf == NULL)
		thread_exit();
	for (;;) {
		bufsize rn = 0;
		int obj;

		memset(&h, 0, sizeof(h));
		h.h_port = term_get;
		n = rpc_getreq(&h, buf, TERM_BUF);
		if (n < 0)
			continue;
		obj = term_object(&h);
		if (obj < 0)
			h.h_status = STD_CAPBAD;
		else if (h.h_command == TTQ_WRITE && obj != T_STDIN)
			rn = term_write(obj, &h, buf, n);
		else if ((h.h_command == TTQ_READ ||
			  h.h_command == TTQ_TIME_READ) && obj == T_STDIN)
			rn = term_read(&h, buf);
		else
			h.h_status = STD_COMBAD;
		rpc_putrep(&h, buf, rn);
	}
}

/* Start the server and fill term_capv; STD_OK or an error. */
static errstat
term_start(void)
{
	port put;
	int n = 0;

	uniqport(&term_get);
	priv2pub(&term_get, &put);
	for (int i = 0; i < T_N; i++) {
		uniqport(&term_check[i]);
		term_caps[i].cap_port = put;
		if (prv_encode(&term_caps[i].cap_priv, (objnum)i,
			       PRV_ALL_RIGHTS, &term_check[i]) < 0)
			return STD_SYSERR;
		term_capv[n].cl_name = (char *)term_names[i];
		term_capv[n++].cl_cap = &term_caps[i];
	}
	for (int i = 0; i < 2; i++) {
		const char *name = i == 0 ? "ROOT" : "WORK";
		capability *c = getcap(name);

		if (c != NULL) {
			term_caps[T_N + i] = *c;
			term_capv[n].cl_name = (char *)name;
			term_capv[n++].cl_cap = &term_caps[T_N + i];
		}
	}
	term_capv[n].cl_name = NULL;
	term_capv[n].cl_cap = NULL;
	for (int i = 0; i < TERM_NTHREAD; i++)
		if (!thread_newthread(term_thread, 64 * 1024, NULL, 0))
			return STD_NOMEM;
	return STD_OK;
}

struct caplist *
run_capv(void)
{
	static int init;

	if (!init) {		/* one thread runs at a time: no race here */
		init = 1;
		mu_init(&term_lock);
	}
	mu_lock(&term_lock);
	if (!term_started && term_start() == STD_OK)
		term_started = 1;
	mu_unlock(&term_lock);
	return term_started ? term_capv : NULL;
}
