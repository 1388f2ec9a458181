/*
 * test_amoeba_compat.c - source compatibility with Amoeba 5.3: an old-style
 * Amoeba program, using only the Amoeba API headers and calls (amoeba.h,
 * stderr.h, cmdreg.h, stdcom.h, module/rpc.h, module/prv.h,
 * module/rnd.h, module/stdcmd.h, thread.h), built unchanged with amcc.
 *
 * A classic server thread protects its objects with prv_encode and
 * prv_decode, answers STD_INFO, STD_STATUS, STD_RESTRICT and STD_DESTROY
 * and an echo command with getreq/putrep; the client uses trans,
 * timeout, uniqport, priv2pub and the std_* stubs against it.
 *
 * The few names an Amoeba program may expect but VX's headers lack are
 * supplied below under #ifndef and reported as "# gap:" lines (no
 * failure: the headers are someone else's).  Run as
 * `init=test_amoeba_compat`; ok/not ok lines, exit status 0 = all passed.
 */
#include <stdio.h>
#include <string.h>

#include "amoeba.h"
#include "stderr.h"
#include "cmdreg.h"
#include "stdcom.h"
#include "thread.h"
#include "module/rpc.h"
#include "module/prv.h"
#include "module/rnd.h"
#include "module/stdcmd.h"

/* ---- names Amoeba 5.3's amoeba.h provides (checked, then filled in) --- */
#ifdef _ARGS
#define HAVE_ARGS 1
#else
#define HAVE_ARGS 0
#define _ARGS(x) x
#endif
#ifdef NILCAP
#define HAVE_NILCAP 1
#else
#define HAVE_NILCAP 0
#define NILCAP ((capability *) 0)
#endif
#ifdef NILBUF
#define HAVE_NILBUF 1
#else
#define HAVE_NILBUF 0
#define NILBUF ((bufptr) 0)
#endif
#ifdef NILPORT
#define HAVE_NILPORT 1
#else
#define HAVE_NILPORT 0
#define NILPORT ((port *) 0)
#endif

#define NOBJ		4
#define COMPAT_ECHO	(UNREGISTERED_FIRST_COM + 10)
#define COMPAT_QUIT	(UNREGISTERED_FIRST_COM + 11)
#define BUFSZ		30000

static int passed, failed;

static void check _ARGS((int cond, char *what));

static void
check(cond, what)
int cond;
char *what;
{
	if (cond) {
		passed++;
		printf("ok %d - %s\n", passed + failed, what);
	} else {
		failed++;
		printf("not ok %d - %s\n", passed + failed, what);
	}
}

/* The server's state: a get-port and one check port per object. */
static port svr_get;
static port svr_put;
static port obj_random[NOBJ];
static int obj_live[NOBJ];
static long nrequests;
static char svr_buf[BUFSZ];
static char cl_buf[BUFSZ];
static char cl_rep[BUFSZ];

/* Validate the capability in hdr; the object number or -1. */
static int
obj_check(hdr, rights)
header *hdr;
rights_bits *rights;
{
	objnum obj = (objnum)(hdr->h_priv.prv_object[0] |
			      hdr->h_priv.prv_object[1] << 8 |
			      hdr->h_priv.prv_object[2] << 16);

	if (obj < 1 || obj > NOBJ || !obj_live[obj - 1])
		return -1;
	if (prv_decode(&hdr->h_priv, rights, &obj_random[obj - 1]) < 0)
		return -1;
	return (int)obj;
}

static void
server(param, psize)
char *param;
int psize;
{
	header hdr;
	bufsize n, rn;
	rights_bits rights;
	int obj, i;

	(void)param;
	(void)psize;
	for (;;) {
		hdr.h_port = svr_get;
		n = getreq(&hdr, svr_buf, BUFSZ);
		if (ERR_STATUS(n)) {
			printf("# getreq failed: %d\n", (int)ERR_CONVERT(n));
			return;
		}
		nrequests++;
		rn = 0;
		obj = obj_check(&hdr, &rights);
		switch (hdr.h_command) {
		case STD_INFO:
			if (obj < 0) {
				hdr.h_status = STD_CAPBAD;
				break;
			}
			if (!(rights & RGT_READ)) {
				hdr.h_status = STD_DENIED;
				break;
			}
			sprintf(svr_buf, "compat object %d", obj);
			rn = (bufsize)strlen(svr_buf);
			if (rn > hdr.h_size)
				rn = hdr.h_size;
			hdr.h_status = STD_OK;
			break;
		case STD_STATUS:
			sprintf(svr_buf, "compat server: %ld requests",
				nrequests);
			rn = (bufsize)strlen(svr_buf);
			hdr.h_status = STD_OK;
			break;
		case STD_RESTRICT:
			if (obj < 0) {
				hdr.h_status = STD_CAPBAD;
				break;
			}
			(void)prv_encode(&hdr.h_priv, (objnum)obj,
					 rights & (rights_bits)hdr.h_offset,
					 &obj_random[obj - 1]);
			hdr.h_port = svr_put;
			hdr.h_status = STD_OK;
			break;
		case STD_DESTROY:
			if (obj < 0) {
				hdr.h_status = STD_CAPBAD;
				break;
			}
			if (!(rights & RGT_DELETE)) {
				hdr.h_status = STD_DENIED;
				break;
			}
			obj_live[obj - 1] = 0;
			hdr.h_status = STD_OK;
			break;
		case COMPAT_ECHO:
			for (i = 0; i < (int)n / 2; i++) {	/* reversed */
				char c = svr_buf[i];

				svr_buf[i] = svr_buf[n - 1 - i];
				svr_buf[n - 1 - i] = c;
			}
			rn = n;
			hdr.h_status = STD_OK;
			break;
		case COMPAT_QUIT:
			hdr.h_status = STD_OK;
			putrep(&hdr, NILBUF, 0);
			return;
		default:
			hdr.h_status = STD_COMBAD;
			break;
		}
		putrep(&hdr, svr_buf, rn);
	}
}

static void
make_cap(obj, cap)
int obj;
capability *cap;
{
	cap->cap_port = svr_put;
	(void)prv_encode(&cap->cap_priv, (objnum)obj, PRV_ALL_RIGHTS,
			 &obj_random[obj - 1]);
}

int
main(argc, argv)
int argc;
char **argv;
{
	capability cap, ro, ro2, bad;
	port p1, p2, nullp;
	header hdr;
	char info[100];
	bufsize n;
	interval old;
	int len, i, ok;

	(void)argc;
	(void)argv;
	if (!HAVE_ARGS)
		printf("# gap: amoeba.h does not define _ARGS\n");
	if (!HAVE_NILCAP)
		printf("# gap: amoeba.h does not define NILCAP\n");
	if (!HAVE_NILBUF)
		printf("# gap: amoeba.h does not define NILBUF\n");
	if (!HAVE_NILPORT)
		printf("# gap: amoeba.h does not define NILPORT\n");

	/* ports */
	uniqport(&svr_get);
	uniqport(&p1);
	check(!NULLPORT(&svr_get) && !PORTCMP(&svr_get, &p1),
	      "uniqport gives fresh non-null ports");
	priv2pub(&svr_get, &svr_put);
	priv2pub(&svr_get, &p2);
	check(PORTCMP(&svr_put, &p2) && !PORTCMP(&svr_put, &svr_get),
	      "priv2pub is a function of the get-port");
	memset(&nullp, 0, sizeof(nullp));
	priv2pub(&nullp, &p2);
	check(NULLPORT(&p2), "priv2pub of the null port is null");
	for (i = 0; i < NOBJ; i++) {
		uniqport(&obj_random[i]);
		obj_live[i] = 1;
	}
	check(prv_encode(&cap.cap_priv, MAX_OBJNUM + 1, PRV_ALL_RIGHTS,
			 &p1) < 0, "prv_encode of a too large object fails");

	check(thread_newthread(server, 16384, (char *)0, 0) != 0,
	      "thread_newthread starts the server");

	/* std_info, std_status */
	make_cap(1, &cap);
	check(std_info(&cap, info, sizeof(info), &len) == STD_OK &&
	      strcmp(info, "compat object 1") == 0 && len == 15,
	      "std_info of an object");
	check(std_status(&cap, info, sizeof(info), &len) == STD_OK &&
	      strncmp(info, "compat server:", 14) == 0, "std_status");

	/* std_restrict: locally from all rights, then by the server */
	check(std_restrict(&cap, RGT_READ | RGT_MODIFY, &ro) == STD_OK &&
	      ro.cap_priv.prv_rights == (RGT_READ | RGT_MODIFY),
	      "std_restrict of an all-rights capability");
	check(std_info(&ro, info, sizeof(info), &len) == STD_OK,
	      "the restricted capability validates (prv_decode)");
	check(std_restrict(&ro, RGT_MODIFY, &ro2) == STD_OK &&
	      ro2.cap_priv.prv_rights == RGT_MODIFY,
	      "std_restrict of a restricted capability (server side)");
	check(std_info(&ro2, info, sizeof(info), &len) == STD_DENIED,
	      "std_info without the read right: STD_DENIED");
	bad = ro2;
	bad.cap_priv.prv_rights = PRV_ALL_RIGHTS;
	check(std_info(&bad, info, sizeof(info), &len) == STD_CAPBAD,
	      "raised rights: STD_CAPBAD");

	/* std_destroy */
	check(std_destroy(&ro) == STD_DENIED,
	      "std_destroy without the delete right: STD_DENIED");
	make_cap(2, &cap);
	check(std_destroy(&cap) == STD_OK, "std_destroy");
	check(std_destroy(&cap) == STD_CAPBAD, "std_destroy again: STD_CAPBAD");
	check(std_info(&cap, info, sizeof(info), &len) == STD_CAPBAD,
	      "a destroyed object is gone");

	/* trans with the old 30000-byte limit */
	for (i = 0; i < BUFSZ; i++)
		cl_buf[i] = (char)(i * 13);
	make_cap(3, &cap);
	hdr.h_port = cap.cap_port;
	hdr.h_priv = cap.cap_priv;
	hdr.h_command = COMPAT_ECHO;
	n = trans(&hdr, cl_buf, BUFSZ, &hdr, cl_rep, BUFSZ);
	ok = !ERR_STATUS(n) && n == BUFSZ && hdr.h_status == STD_OK;
	for (i = 0; ok && i < BUFSZ; i++)
		ok = cl_rep[i] == cl_buf[BUFSZ - 1 - i];
	check(ok, "trans of 30000 bytes (reversed by the server)");
	hdr.h_port = cap.cap_port;
	hdr.h_command = 12345;
	n = trans(&hdr, NILBUF, 0, &hdr, NILBUF, 0);
	check(!ERR_STATUS(n) && ERR_CONVERT(hdr.h_status) == STD_COMBAD,
	      "unknown command: STD_COMBAD");

	/* RPC errors */
	hdr.h_port = nullp;
	n = trans(&hdr, NILBUF, 0, &hdr, NILBUF, 0);
	check(ERR_STATUS(n) && ERR_CONVERT(n) == RPC_BADPORT,
	      "trans to the null port: RPC_BADPORT");
	old = timeout((interval)300);
	uniqport(&p1);
	priv2pub(&p1, &hdr.h_port);
	n = trans(&hdr, NILBUF, 0, &hdr, NILBUF, 0);
	check(ERR_STATUS(n) && ERR_CONVERT(n) == RPC_NOTFOUND,
	      "trans to nobody with timeout(300): RPC_NOTFOUND");
	check(timeout(old) == 300, "timeout returns the previous value");

	hdr.h_port = svr_put;
	hdr.h_command = COMPAT_QUIT;
	n = trans(&hdr, NILBUF, 0, &hdr, NILBUF, 0);
	check(!ERR_STATUS(n), "the server quits");

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
