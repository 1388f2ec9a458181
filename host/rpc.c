/*
 * rpc.c - Amoeba's RPC calls for Linux programs (module/rpc.h) over the
 * linked stack: each is the portable blocking call of rpc/rpc_block.c
 * on the calling thread's call object, under the network lock.  Also
 * uniqport and rnd_getrandom from getrandom(2), and getcap from the
 * UNIX environment (a capability as 32 hex digits, the 16 bytes in
 * order), as Amoeba's libamunix takes it from environment variables.
 *
 * Entry points: trans, getreq, putrep, timeout, rpc_trans, rpc_getreq,
 * rpc_putrep, uniqport, rnd_getrandom, getcap.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/rnd.h>
#include <module/rpc.h>

#include "flip/flip_port.h"
#include "host/amunix_impl.h"
#include "rpc/rpc_block.h"

struct caplist *vx_capv;

/*
 * Take the network lock for a blocking call: catchers of signals that
 * came while the thread ran user code run first, and such a signal does
 * not abort the call (the kernel delivers it on the return to user mode).
 */
static void
amu_call_enter(void)
{
	struct amu_thread *t = amu_cur;

	amu_sig_check(t);
	pthread_mutex_lock(&amu_net);
	t->sigkick = 0;
}

int32
rpc_trans(header *req, bufptr rbuf, f_size_t rn, header *rep, bufptr pbuf,
	  f_size_t pn)
{
	struct rpc_call *c = amu_call(amu_self());
	int32 r;

	if (rn < 0 || pn < 0)
		return STD_ARGBAD;
	if (c == NULL)
		return RPC_TRYAGAIN;
	amu_call_enter();
	r = rpc_trans_wait(c, req, rbuf, (uint32_t)rn, rep, pbuf,
			   (uint32_t)pn);
	pthread_mutex_unlock(&amu_net);
	amu_sig_check(amu_cur);
	return r;
}

int32
rpc_getreq(header *h, bufptr buf, f_size_t n)
{
	struct rpc_call *c = amu_call(amu_self());
	int32 r;

	if (n < 0)
		return STD_ARGBAD;
	if (c == NULL)
		return RPC_TRYAGAIN;
	amu_call_enter();
	r = rpc_getreq_wait(c, h, buf, (uint32_t)n);
	pthread_mutex_unlock(&amu_net);
	amu_sig_check(amu_cur);
	return r;
}

errstat
rpc_putrep(header *h, bufptr buf, f_size_t n)
{
	struct rpc_call *c = amu_call(amu_self());
	errstat r;

	if (n < 0)
		return STD_ARGBAD;
	if (c == NULL)
		return RPC_TRYAGAIN;
	amu_call_enter();
	r = rpc_putrep_wait(c, h, buf, (uint32_t)n);
	pthread_mutex_unlock(&amu_net);
	amu_sig_check(amu_cur);
	return r;
}

/* The old calls: 16-bit sizes, at most MAX_OLD_BUFSIZE bytes each. */
bufsize
trans(header *req, bufptr rbuf, _bufsize rn, header *rep, bufptr pbuf,
      _bufsize pn)
{
	if (rn < 0 || pn < 0 || rn > MAX_OLD_BUFSIZE || pn > MAX_OLD_BUFSIZE)
		return (bufsize)STD_ARGBAD;
	return (bufsize)rpc_trans(req, rbuf, rn, rep, pbuf, pn);
}

bufsize
getreq(header *h, bufptr buf, _bufsize n)
{
	if (n < 0 || n > MAX_OLD_BUFSIZE)
		return (bufsize)STD_ARGBAD;
	return (bufsize)rpc_getreq(h, buf, n);
}

void
putrep(header *h, bufptr buf, _bufsize n)
{
	(void)rpc_putrep(h, buf, n > MAX_OLD_BUFSIZE ? MAX_OLD_BUFSIZE : n);
}

interval
timeout(interval ms)
{
	struct rpc_call *c = amu_call(amu_self());
	interval old;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&amu_net);
	old = rpc_timeout(c, ms);
	pthread_mutex_unlock(&amu_net);
	return old;
}

void
uniqport(port *p)
{
	do
		flip_port_random(p->_portbytes, PORTSIZE);
	while (NULLPORT(p));
}

errstat
rnd_getrandom(char *buf, int size)
{
	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	flip_port_random(buf, (size_t)size);
	return STD_OK;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* $NAME as 32 hex digits; one static capability per calling thread. */
capability *
getcap(const char *name)
{
	static __thread capability cap;
	const char *s = name ? getenv(name) : NULL;
	uint8_t *b = (uint8_t *)&cap;

	if (s == NULL || strlen(s) != 2 * CAPSIZE)
		return NULL;
	for (int i = 0; i < CAPSIZE; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return NULL;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return &cap;
}
