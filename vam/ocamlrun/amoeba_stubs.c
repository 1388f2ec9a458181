/*
 * amoeba_stubs.c - the C half of the Amoeba library for ML (vam/ml/
 * amoeba.ml), linked into VX's ocamlrun; their names are listed in
 * vam/prims.extra so ocamlrun's primitive table holds them.
 *
 * The ML side keeps ports (6 bytes), privates (10 bytes), capabilities
 * (16 bytes) and headers (32 bytes) as strings or bytes in exactly the C
 * structs' memory layout (amoeba.h), so each stub only copies them.
 * Buffers are ML bytes with a length that the stub checks against the
 * bytes' size.  Blocking calls release the master lock once the program
 * uses threads (see "Blocking calls" below).
 *
 * Entry points (ML names in amoeba.ml): vam_trans, vam_getreq,
 * vam_putrep, vam_timeout, vam_one_way, vam_uniqport, vam_prv_encode,
 * vam_prv_decode, vam_getcap, vam_err_why, vam_now, vam_sleep,
 * vam_threads_on.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#define CAML_INTERNALS
#include <caml/alloc.h>
#include <caml/fail.h>
#include <caml/memory.h>
#include <caml/mlvalues.h>
#include <caml/signals.h>

/* ML bytes/string v as a C object of n bytes; Invalid_argument if the
 * size is wrong. */
static void *
vam_obj(value v, mlsize_t n, const char *what)
{
	if (caml_string_length(v) != n)
		caml_invalid_argument(what);
	return Bytes_val(v);
}

/* Buffer b with len bytes used: Invalid_argument unless 0 <= len <= size. */
static char *
vam_buf(value b, value len, const char *what)
{
	if (Long_val(len) < 0 || (mlsize_t)Long_val(len) > caml_string_length(b))
		caml_invalid_argument(what);
	return (char *)Bytes_val(b);
}

/*
 * Blocking calls.  Until the program starts a thread (vam_threads_on,
 * called by the Thread module), nothing can move the ML heap while a
 * call blocks, and the stubs pass the bytes' own storage to the kernel.
 * Once threads run, a blocking call releases the runtime's master lock
 * (caml_enter_blocking_section) so other ML threads run meanwhile; their
 * allocations may move the bytes, so the data goes through a C buffer.
 */
static int vam_threaded;

/*
 * On Linux (VAM_AMUNIX: ocamlrun-amunix) an Amoeba thread runs only while
 * it holds libamunix's process lock, which it would keep between
 * Amoeba calls; an ML thread holds it only inside them (am_in, am_out),
 * so ML threads blocked elsewhere (Thread.delay, Mutex.lock) never keep
 * the others out of their RPCs.  The first call in a thread makes its
 * libamunix state, which holds the lock, and lets go of it.
 */
#ifdef VAM_AMUNIX
#include <amunix.h>
static __thread int vam_am_ready;

static void
am_in(void)
{
	if (!vam_am_ready) {
		amunix_leave();
		vam_am_ready = 1;
	}
	amunix_enter();
}

static void
am_out(void)
{
	amunix_leave();
}
#else
#define am_in()		((void)0)
#define am_out()	((void)0)
#endif

CAMLprim value
vam_threads_on(value unit)
{
	(void)unit;
	vam_threaded = 1;
	return Val_unit;
}

/*
 * C buffers for the blocking calls, kept for reuse (a fresh 1 MiB buffer
 * would cost its page faults on every call): a few free ones, taken and
 * given back only while the caller holds the master lock, so the pool
 * needs no lock of its own.
 */
#define VAM_POOL 8
static struct { char *p; size_t cap; } vam_pool[VAM_POOL];

/* A buffer of at least n bytes; Out_of_memory when there is none. */
static char *
vam_take(size_t n, size_t *cap)
{
	int i, best = -1;
	char *p;

	if (n == 0)
		n = 1;
	for (i = 0; i < VAM_POOL; i++)
		if (vam_pool[i].p != NULL && vam_pool[i].cap >= n &&
		    (best < 0 || vam_pool[i].cap < vam_pool[best].cap))
			best = i;
	if (best >= 0) {
		p = vam_pool[best].p;
		*cap = vam_pool[best].cap;
		vam_pool[best].p = NULL;
		return p;
	}
	if ((p = malloc(n)) == NULL)
		caml_raise_out_of_memory();
	*cap = n;
	return p;
}

/* Give p back: kept in a free slot or in place of a smaller one. */
static void
vam_give(char *p, size_t cap)
{
	int i, small = 0;

	for (i = 0; i < VAM_POOL; i++) {
		if (vam_pool[i].p == NULL) {
			vam_pool[i].p = p;
			vam_pool[i].cap = cap;
			return;
		}
		if (vam_pool[i].cap < vam_pool[small].cap)
			small = i;
	}
	if (vam_pool[small].cap < cap) {
		free(vam_pool[small].p);
		vam_pool[small].p = p;
		vam_pool[small].cap = cap;
	} else {
		free(p);
	}
}

/* vam_trans hdr req reqlen rep replen: the reply header replaces hdr;
 * the reply's size, or a negative error. */
CAMLprim value
vam_trans(value hdr, value req, value reqlen, value rep, value replen)
{
	CAMLparam5(hdr, req, reqlen, rep, replen);
	header h;
	char *r = vam_buf(req, reqlen, "Amoeba.trans: request length");
	char *p = vam_buf(rep, replen, "Amoeba.trans: reply length");
	int32 n;

	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.trans: header"),
	       HEADERSIZE);
	if (!vam_threaded) {
		am_in();
		n = rpc_trans(&h, r, Long_val(reqlen), &h, p, Long_val(replen));
		am_out();
	} else {
		size_t rcap, pcap;

		r = vam_take(Long_val(reqlen), &rcap);
		memcpy(r, Bytes_val(req), Long_val(reqlen));
		p = vam_take(Long_val(replen), &pcap);
		caml_enter_blocking_section();
		am_in();
		n = rpc_trans(&h, r, Long_val(reqlen), &h, p, Long_val(replen));
		am_out();
		caml_leave_blocking_section();
		if (n > 0)
			memcpy(Bytes_val(rep), p,
			       n < Long_val(replen) ? n : Long_val(replen));
		vam_give(r, rcap);
		vam_give(p, pcap);
	}
	memcpy(Bytes_val(hdr), &h, HEADERSIZE);
	CAMLreturn(Val_long(n));
}

/* vam_getreq hdr buf len: the request header replaces hdr (its h_port
 * names the get-port); the request's size, or a negative error. */
CAMLprim value
vam_getreq(value hdr, value buf, value len)
{
	CAMLparam3(hdr, buf, len);
	header h;
	char *b = vam_buf(buf, len, "Amoeba.getreq: length");
	int32 n;

	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.getreq: header"),
	       HEADERSIZE);
	if (!vam_threaded) {
		am_in();
		n = rpc_getreq(&h, b, Long_val(len));
		am_out();
	} else {
		size_t cap;

		b = vam_take(Long_val(len), &cap);
		caml_enter_blocking_section();
		am_in();
		n = rpc_getreq(&h, b, Long_val(len));
		am_out();
		caml_leave_blocking_section();
		if (n > 0)
			memcpy(Bytes_val(buf), b,
			       n < Long_val(len) ? n : Long_val(len));
		vam_give(b, cap);
	}
	memcpy(Bytes_val(hdr), &h, HEADERSIZE);
	CAMLreturn(Val_long(n));
}

/* vam_putrep hdr buf off len: the reply is len bytes of buf from off; 0
 * or a negative error.  A reply does not wait for anything, so the
 * master lock stays held and the bytes go to the kernel in place. */
CAMLprim value
vam_putrep(value hdr, value buf, value off, value len)
{
	header h;
	int32 r;

	if (Long_val(off) < 0 || Long_val(len) < 0 ||
	    (mlsize_t)Long_val(off) > caml_string_length(buf) ||
	    (mlsize_t)Long_val(len) > caml_string_length(buf) -
	    (mlsize_t)Long_val(off))
		caml_invalid_argument("Amoeba.putrep: length");
	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.putrep: header"),
	       HEADERSIZE);
	am_in();
	r = rpc_putrep(&h, (char *)Bytes_val(buf) + Long_val(off),
		       Long_val(len));
	am_out();
	return Val_long(r);
}

/* vam_sleep ms: sleep, letting the other ML threads run meanwhile. */
CAMLprim value
vam_sleep(value ms)
{
	long n = Long_val(ms);

	caml_enter_blocking_section();
	while (n > 0) {
		long k = n > 900 ? 900 : n;

		usleep((useconds_t)k * 1000);
		n -= k;
	}
	caml_leave_blocking_section();
	return Val_unit;
}

CAMLprim value
vam_timeout(value ms)
{
	long r;

	am_in();
	r = timeout(Long_val(ms));
	am_out();
	return Val_long(r);
}

/* vam_one_way port: F(port), Amoeba's one-way function. */
CAMLprim value
vam_one_way(value p)
{
	CAMLparam1(p);
	CAMLlocal1(out);
	port in;

	memcpy(&in, vam_obj(p, PORTSIZE, "Amoeba.one_way: port"), PORTSIZE);
	out = caml_alloc_string(PORTSIZE);
	one_way(&in, (port *)Bytes_val(out));
	CAMLreturn(out);
}

CAMLprim value
vam_uniqport(value unit)
{
	CAMLparam1(unit);
	CAMLlocal1(out);

	out = caml_alloc_string(PORTSIZE);
	uniqport((port *)Bytes_val(out));
	CAMLreturn(out);
}

/* vam_prv_encode obj rights random: the 10-byte private; Invalid_argument
 * for an object number or rights out of range. */
CAMLprim value
vam_prv_encode(value obj, value rights, value random)
{
	CAMLparam3(obj, rights, random);
	CAMLlocal1(out);
	port r;
	private prv;

	memcpy(&r, vam_obj(random, PORTSIZE, "Amoeba.prv_encode: port"),
	       PORTSIZE);
	if (prv_encode(&prv, Long_val(obj), Long_val(rights), &r) != 0)
		caml_invalid_argument("Amoeba.prv_encode");
	out = caml_alloc_string(sizeof(prv));
	memcpy(Bytes_val(out), &prv, sizeof(prv));
	CAMLreturn(out);
}

/* vam_prv_decode priv random: the rights, or -1 when the check field
 * does not match. */
CAMLprim value
vam_prv_decode(value priv, value random)
{
	private prv;
	port r;
	rights_bits rights;

	memcpy(&prv, vam_obj(priv, sizeof(prv), "Amoeba.prv_decode: private"),
	       sizeof(prv));
	memcpy(&r, vam_obj(random, PORTSIZE, "Amoeba.prv_decode: port"),
	       PORTSIZE);
	if (prv_decode(&prv, &rights, &r) != 0)
		return Val_long(-1);
	return Val_long(rights);
}

/* vam_getcap name: the 16-byte capability from the capability
 * environment, or "" when there is none. */
CAMLprim value
vam_getcap(value name)
{
	CAMLparam1(name);
	CAMLlocal1(out);
	capability *cap = getcap(String_val(name));

	out = caml_alloc_string(cap != NULL ? CAPSIZE : 0);
	if (cap != NULL)
		memcpy(Bytes_val(out), cap, CAPSIZE);
	CAMLreturn(out);
}

CAMLprim value
vam_err_why(value err)
{
	return caml_copy_string(err_why(Long_val(err)));
}

/* vam_now (): wall-clock seconds, for timing (the standard library
 * without Unix has only Sys.time, the process's CPU time). */
CAMLprim value
vam_now(value unit)
{
	struct timeval tv;

	(void)unit;
	gettimeofday(&tv, NULL);
	return caml_copy_double((double)tv.tv_sec + tv.tv_usec / 1e6);
}
