/*
 * amoeba_stubs.c - the C half of the Amoeba library for ML (vam/ml/
 * amoeba.ml), linked into VX's ocamlrun; their names are listed in
 * vam/prims.extra so ocamlrun's primitive table holds them.
 *
 * The ML side keeps ports (6 bytes), privates (10 bytes), capabilities
 * (16 bytes) and headers (32 bytes) as strings or bytes in exactly the C
 * structs' memory layout (amoeba.h), so each stub only copies them.
 * Buffers are ML bytes with a length that the stub checks against the
 * bytes' size.  The runtime has no threads here, so nothing can move
 * the ML heap while rpc_trans or rpc_getreq blocks, and the stubs pass
 * the bytes' own storage to the kernel.
 *
 * Entry points (ML names in amoeba.ml): vam_trans, vam_getreq,
 * vam_putrep, vam_timeout, vam_one_way, vam_uniqport, vam_prv_encode,
 * vam_prv_decode, vam_getcap, vam_err_why, vam_now.
 */
#include <string.h>
#include <sys/time.h>

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

/* vam_trans hdr req reqlen rep replen: the reply header replaces hdr;
 * the reply's size, or a negative error. */
CAMLprim value
vam_trans(value hdr, value req, value reqlen, value rep, value replen)
{
	header h;
	char *r = vam_buf(req, reqlen, "Amoeba.trans: request length");
	char *p = vam_buf(rep, replen, "Amoeba.trans: reply length");
	int32 n;

	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.trans: header"),
	       HEADERSIZE);
	n = rpc_trans(&h, r, Long_val(reqlen), &h, p, Long_val(replen));
	memcpy(Bytes_val(hdr), &h, HEADERSIZE);
	return Val_long(n);
}

/* vam_getreq hdr buf len: the request header replaces hdr (its h_port
 * names the get-port); the request's size, or a negative error. */
CAMLprim value
vam_getreq(value hdr, value buf, value len)
{
	header h;
	char *b = vam_buf(buf, len, "Amoeba.getreq: length");
	int32 n;

	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.getreq: header"),
	       HEADERSIZE);
	n = rpc_getreq(&h, b, Long_val(len));
	memcpy(Bytes_val(hdr), &h, HEADERSIZE);
	return Val_long(n);
}

/* vam_putrep hdr buf len: 0 or a negative error. */
CAMLprim value
vam_putrep(value hdr, value buf, value len)
{
	header h;
	char *b = vam_buf(buf, len, "Amoeba.putrep: length");

	memcpy(&h, vam_obj(hdr, HEADERSIZE, "Amoeba.putrep: header"),
	       HEADERSIZE);
	return Val_long(rpc_putrep(&h, b, Long_val(len)));
}

CAMLprim value
vam_timeout(value ms)
{
	return Val_long(timeout(Long_val(ms)));
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
