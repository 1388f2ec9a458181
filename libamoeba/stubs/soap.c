/*
 * soap.c - client stubs of the SOAP directory server (spec 7.2, 7.3):
 * sp_lookup walks a path over as many servers as it crosses (at most
 * SP_MAXSTEPS SP_LOOKUPs), sp_traverse splits off the last component,
 * the entry operations send it to that directory.  Every request is
 * tried SP_NTRY times over every current member of the directory's
 * capset when it fails with RPC_FAILURE (the server may have died
 * after or before doing it).  Reads are idempotent; each update
 * (CREATE, DISCARD, APPEND, REPLACE, DELETE, CHMOD) carries a random
 * h_signature, the same on every try, and the SOAP server (plain or
 * replicated, sps_apply) does an update at most once per signature:
 * a retry of one already done gets its first reply again.  SP_DEFAULT means ROOT for
 * paths starting with '/', else WORK, from the capability environment;
 * without ROOT the root of the default server ("soap", found by its
 * public port, see sp_publiccap) is used.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <server/soap/soap.h>
#include "soap_client.h"

#define SP_MAXSTEPS	10
#define CAPSETBUF	(4 + MAXCAPSET * (CAPSIZE + 2))
#define SP_REPBUF	(SP_PATHMAX + 1 + CAPSETBUF)

/* Does cmd change a directory?  (Those carry a signature.) */
static int
is_update(int cmd)
{
	return cmd == SP_CREATE || cmd == SP_DISCARD || cmd == SP_APPEND ||
	       cmd == SP_REPLACE || cmd == SP_DELETE || cmd == SP_CHMOD;
}

/*
 * One request to the first current member of dir that answers; ntries
 * > 1 retries RPC_FAILURE.  *hdr (optional) gives h_offset/h_extra in
 * and returns the reply header; *replen the reply length.
 */
errstat
sp_mktrans(int ntries, capset *dir, header *hdr, int cmd, const char *in,
	   int insize, char *out, int outsize, int *replen)
{
	errstat err, failed = SP_UNAVAIL;
	header h;
	int32 n;
	int t, i;
	port sig;

	if (dir == NULL || dir->cs_final < 0 || dir->cs_final > MAXCAPSET)
		return STD_ARGBAD;
	memset(&sig, 0, sizeof(sig));
	if (hdr != NULL && !NULLPORT(&hdr->h_signature))
		sig = hdr->h_signature;
	else if (is_update(cmd))
		uniqport(&sig);		/* one request, however often tried */
	for (t = 0; t < ntries; t++) {
		for (i = 0; i < dir->cs_final; i++) {
			suite *s = &dir->cs_suite[i];

			if (!s->s_current)
				continue;
			if (hdr != NULL)
				h = *hdr;
			else
				memset(&h, 0, sizeof(h));
			h.h_command = (command)cmd;
			h.h_signature = sig;
			h.h_port = s->s_object.cap_port;
			h.h_priv = s->s_object.cap_priv;
			h.h_size = (bufsize)(in != NULL ? insize : outsize);
			n = rpc_trans(&h, (bufptr)in, in ? insize : 0, &h, out,
				      out ? outsize : 0);
			err = n < 0 ? n : ERR_CONVERT(h.h_status);
			if (err == RPC_FAILURE && ntries > 1) {
				failed = RPC_FAILURE;
				continue;
			}
			if (err == RPC_NOTFOUND)
				continue;
			if (err == STD_OK || err == SP_UNREACH) {
				if (hdr != NULL)
					*hdr = h;
				if (replen != NULL)
					*replen = n < 0 ? 0 : (int)n;
			}
			return err;
		}
	}
	return failed;
}

/* Push component c (length n) onto out, or pop one for "..". */
static int
norm_push(char *out, size_t *len, size_t max, const char *c, size_t n,
	  int absolute)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		char *slash;

		if (*len == 0)
			return absolute ? 0 : -1; /* "/.." is "/" */
		out[*len] = 0;
		slash = strrchr(out, '/');
		*len = slash ? (size_t)(slash - out) : 0;
		out[*len] = 0;
		return 0;
	}
	if (*len + n + 2 > max)
		return -1;
	if (*len > 0 || absolute)
		out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	out[*len] = 0;
	return 0;
}

/*
 * Lexical normalisation of "." and ".." (spec 7.3): "/a/./b/../c" is
 * "/a/c", "/.." is "/".  A relative path whose ".." climbs above its
 * start is made absolute with $PWD when that is an absolute path, else
 * it is STD_ARGBAD (WORK's own name is not known).
 */
errstat
sp_path_norm(const char *path, char *out, size_t max)
{
	const char *p = path, *e, *pwd;
	size_t len = 0;
	int absolute = path[0] == '/';
	char tmp[SP_PATHMAX + 1];

	if (max < 2)
		return STD_ARGBAD;
	out[0] = 0;
	while (*p) {
		while (*p == '/')
			p++;
		for (e = p; *e && *e != '/'; e++)
			;
		if (norm_push(out, &len, max, p, (size_t)(e - p), absolute)) {
			pwd = getenv("PWD");
			if (absolute || pwd == NULL || pwd[0] != '/' ||
			    strlen(pwd) + strlen(path) + 2 > sizeof(tmp))
				return STD_ARGBAD;
			strcpy(tmp, pwd);
			strcat(tmp, "/");
			strcat(tmp, path);
			return sp_path_norm(tmp, out, max);
		}
		p = e;
	}
	if (absolute && len == 0)
		strcpy(out, "/");
	return STD_OK;
}

static errstat
env_dir(const char *name, capset *cs)
{
	capability *c = getcap(name);

	if (c == NULL)
		return sp_publiccap(NULL, cs);
	return cs_singleton(cs, c) ? STD_OK : STD_NOMEM;
}

errstat
sp_get_rootdir(capset *root)
{
	return env_dir("ROOT", root);
}

errstat
sp_get_workdir(capset *work)
{
	if (getcap("WORK") == NULL && getcap("ROOT") != NULL)
		return env_dir("ROOT", work);
	return env_dir("WORK", work);
}

/*
 * The root directory of SOAP server name (NULL: $SOAP, else "soap"):
 * the server's public object (SP_PUBOBJ, check = its put-port, like the
 * kernel directory) is a one-row directory whose row "root" holds it.
 */
errstat
sp_publiccap(const char *name, capset *root)
{
	capability pub;
	capset pubcs;
	port get;
	errstat err;

	if (name == NULL)
		name = getenv("SOAP");
	if (name == NULL || name[0] == 0)
		name = SP_DEFSERVER;
	sp_publicport(name, &get);
	priv2pub(&get, &pub.cap_port);
	prv_encode(&pub.cap_priv, SP_PUBOBJ, PRV_ALL_RIGHTS, &pub.cap_port);
	if (!cs_singleton(&pubcs, &pub))
		return STD_NOMEM;
	err = sp_lookup(&pubcs, SP_PUBROOT, root);
	cs_free(&pubcs);
	return err;
}

/* The start of a path: dir, or ROOT/WORK for SP_DEFAULT. */
static errstat
start_dir(capset *dir, const char *path, capset *cs)
{
	if (dir == SP_DEFAULT)
		return path[0] == '/' ? sp_get_rootdir(cs)
				      : sp_get_workdir(cs);
	return cs_copy(cs, dir) ? STD_OK : STD_NOMEM;
}

errstat
sp_lookup(capset *dir, const char *path, capset *cs)
{
	char norm[SP_PATHMAX + 1], in[SP_PATHMAX + 1], out[SP_REPBUF];
	char *p, *e, *rest;
	header h;
	errstat err;
	int steps = 0, n = 0;

	if (path == NULL || cs == NULL)
		return STD_ARGBAD;
	if ((err = sp_path_norm(path, norm, sizeof(norm))) != STD_OK)
		return err;
	if ((err = start_dir(dir, norm, cs)) != STD_OK)
		return err;
	rest = norm;
	for (;;) {
		while (*rest == '/')
			rest++;
		if (*rest == 0)
			return STD_OK;
		if (++steps > SP_MAXSTEPS) {
			err = STD_OVERFLOW;
			break;
		}
		p = buf_put_string(in, in + sizeof(in), rest);
		if (p == NULL) {
			err = STD_ARGBAD;
			break;
		}
		memset(&h, 0, sizeof(h));
		err = sp_mktrans(SP_NTRY, cs, &h, SP_LOOKUP, in,
				 (int)(p - in), out, sizeof(out), &n);
		if (err != STD_OK)
			break;
		e = out + n;
		p = buf_get_string(out, e, &rest);
		if (p == NULL) {
			err = STD_SYSERR;
			break;
		}
		/* rest points into out: move it to in before reusing out */
		memmove(norm, rest, strlen(rest) + 1);
		rest = norm;
		cs_free(cs);
		if (buf_get_capset(p, e, cs) == NULL) {
			err = STD_SYSERR;
			break;
		}
		if (cs->cs_final == 0) {
			err = STD_SYSERR;
			break;
		}
	}
	cs_free(cs);
	return err;
}

errstat
sp_traverse(capset *dir, const char **path, capset *last)
{
	char buf[SP_PATHMAX + 1];
	const char *p = *path, *slash;

	if (p == NULL || strlen(p) >= sizeof(buf))
		return STD_ARGBAD;
	slash = strrchr(p, '/');
	if (slash == NULL)
		return dir == SP_DEFAULT ? sp_get_workdir(last)
		       : (cs_copy(last, dir) ? STD_OK : STD_NOMEM);
	*path = slash + 1;
	if (slash == p)
		return sp_lookup(dir, "/", last);
	memcpy(buf, p, (size_t)(slash - p));
	buf[slash - p] = 0;
	return sp_lookup(dir, buf, last);
}

/* Send name (+ capset and masks) to the directory holding it. */
static errstat
entry_op(capset *dir, const char *name, int cmd, int ntries, capset *cs,
	 int ncols, rights_bits cols[], char *out, int outsize, int *n)
{
	char in[SP_PATHMAX + 1 + CAPSETBUF + 4 * SP_MAXCOLUMNS];
	char *p, *e = in + sizeof(in);
	capset last;
	errstat err;
	int i;

	if (name == NULL || ncols < 0 || (ncols > 0 && cols == NULL))
		return STD_ARGBAD;
	if ((err = sp_traverse(dir, &name, &last)) != STD_OK)
		return err;
	p = buf_put_string(in, e, name);
	if (cs != NULL)
		p = buf_put_capset(p, e, cs);
	for (i = 0; i < ncols && cmd != SP_GETMASKS; i++)
		p = buf_put_right_bits(p, e, cols[i]);
	if (p == NULL)
		err = STD_ARGBAD;
	else
		err = sp_mktrans(ntries, &last, NULL, cmd, in, (int)(p - in),
				 out, outsize, n);
	cs_free(&last);
	return err;
}

errstat
sp_append(capset *dir, const char *name, capset *cs, int ncols,
	  rights_bits cols[])
{
	if (cs == NULL)
		return STD_ARGBAD;
	return entry_op(dir, name, SP_APPEND, SP_NTRY, cs, ncols, cols, NULL,
			0, NULL);
}

errstat
sp_replace(capset *dir, const char *name, capset *cs)
{
	if (cs == NULL)
		return STD_ARGBAD;
	return entry_op(dir, name, SP_REPLACE, SP_NTRY, cs, 0, NULL, NULL, 0,
			NULL);
}

errstat
sp_delete(capset *dir, const char *name)
{
	return entry_op(dir, name, SP_DELETE, SP_NTRY, NULL, 0, NULL, NULL, 0,
			NULL);
}

errstat
sp_chmod(capset *dir, const char *name, int ncols, rights_bits cols[])
{
	return entry_op(dir, name, SP_CHMOD, SP_NTRY, NULL, ncols, cols, NULL,
			0, NULL);
}

errstat
sp_getmasks(capset *dir, const char *name, int ncols, rights_bits cols[])
{
	char out[4 * SP_MAXCOLUMNS];
	char *p;
	errstat err;
	int n = 0, i;

	if (ncols < 0 || (ncols > 0 && cols == NULL))
		return STD_ARGBAD;
	err = entry_op(dir, name, SP_GETMASKS, SP_NTRY, NULL, ncols, cols,
		       out, sizeof(out), &n);
	if (err != STD_OK)
		return err;
	p = out;
	for (i = 0; i < ncols; i++) {
		cols[i] = 0;
		if (p != NULL && p < out + n)
			p = buf_get_right_bits(p, out + n, &cols[i]);
	}
	return STD_OK;
}

errstat
sp_create(capset *server, char *columns[], capset *dir)
{
	char in[SP_MAXCOLUMNS * (SP_NAMEMAX + 1)];
	char *p = in;
	capset svr;
	capability cap;
	header h;
	errstat err;
	int i;

	if (columns == NULL || dir == NULL)
		return STD_ARGBAD;
	for (i = 0; columns[i] != NULL && p != NULL; i++)
		p = i < SP_MAXCOLUMNS ?
		    buf_put_string(p, in + sizeof(in), columns[i]) : NULL;
	if (p == NULL || i == 0)
		return STD_ARGBAD;
	err = server == SP_DEFAULT ? sp_get_workdir(&svr)
	      : (cs_copy(&svr, server) ? STD_OK : STD_NOMEM);
	if (err != STD_OK)
		return err;
	memset(&h, 0, sizeof(h));
	err = sp_mktrans(SP_NTRY, &svr, &h, SP_CREATE, in, (int)(p - in),
			 NULL, 0, NULL);
	cs_free(&svr);
	if (err != STD_OK)
		return err;
	cap.cap_port = h.h_port;
	cap.cap_priv = h.h_priv;
	return cs_singleton(dir, &cap) ? STD_OK : STD_NOMEM;
}

errstat
sp_discard(capset *dir)
{
	if (dir == NULL)
		return STD_ARGBAD;
	return sp_mktrans(SP_NTRY, dir, NULL, SP_DISCARD, NULL, 0, NULL, 0,
			  NULL);
}

errstat
sp_getseqno(capset *dir, sp_seqno_t *seqno)
{
	char out[8];
	char *p;
	errstat err;
	int n = 0;

	if (dir == NULL || seqno == NULL)
		return STD_ARGBAD;
	err = sp_mktrans(SP_NTRY, dir, NULL, SP_GETSEQNR, NULL, 0, out,
			 sizeof(out), &n);
	if (err != STD_OK)
		return err;
	p = buf_get_uint32(out, out + n, &seqno->seq[0]);
	p = buf_get_uint32(p, out + n, &seqno->seq[1]);
	return p ? STD_OK : STD_SYSERR;
}

/* One SP_SETLOOKUP per entry's directory (entries of one server could
 * share a request; VX keeps it simple). */
errstat
sp_setlookup(int n, sp_entry in[], sp_result out[])
{
	char req[SP_PATHMAX + 1 + CAPSETBUF], rep[2 + CAPSIZE + 4 + CAPSETBUF];
	char *p, *e;
	int16 st;
	int32 t;
	int i, len = 0;
	errstat err;

	if (n < 0 || (n > 0 && (in == NULL || out == NULL)))
		return STD_ARGBAD;
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		p = buf_put_capset(req, req + sizeof(req), &in[i].se_capset);
		p = buf_put_string(p, req + sizeof(req), in[i].se_name);
		if (p == NULL)
			return STD_ARGBAD;
		err = sp_mktrans(SP_NTRY, &in[i].se_capset, NULL, SP_SETLOOKUP,
				 req, (int)(p - req), rep, sizeof(rep), &len);
		if (err != STD_OK) {
			out[i].sr_status = (short)err;
			continue;
		}
		e = rep + len;
		p = buf_get_int16(rep, e, &st);
		out[i].sr_status = p ? st : STD_SYSERR;
		if (p == NULL || st != STD_OK)
			continue;
		p = buf_get_cap(p, e, &out[i].sr_typecap);
		p = buf_get_int32(p, e, &t);
		out[i].sr_time = t;
		if (p == NULL || buf_get_capset(p, e, &out[i].sr_capset) == NULL)
			out[i].sr_status = STD_SYSERR;
	}
	return STD_OK;
}

/* SP_INSTALL has no known request format (spec 7.2): not supported. */
errstat
sp_install(int n, sp_entry entries[], capset capsets[],
	   capability *oldcaps[])
{
	(void)n, (void)entries, (void)capsets, (void)oldcaps;
	return STD_COMBAD;
}

/* The default column masks of new entries: maskar[0..nmasks-1] from
 * $SPMASK ("0xff:2:4"), else 0xff, 0x2, 0x4, 0x4; returns how many. */
int
sp_mask(int nmasks, long *maskar)
{
	static const long def[SP_MAXCOLUMNS] = { 0xFF, 0x02, 0x04, 0x04 };
	const char *s = getenv("SPMASK");
	char *end;
	int i;

	for (i = 0; i < nmasks && i < SP_MAXCOLUMNS; i++)
		maskar[i] = def[i];
	for (i = 0; s != NULL && *s && i < nmasks; i++) {
		maskar[i] = strtol(s, &end, 0);
		if (end == s)
			break;
		s = *end == ':' ? end + 1 : end;
	}
	return nmasks < SP_MAXCOLUMNS ? nmasks : SP_MAXCOLUMNS;
}

errstat
sp_mkdir(capset *start, char *path, char **colnames)
{
	static char *def[] = { "owner", "group", "other", NULL };
	rights_bits masks[SP_MAXCOLUMNS] = { 0xFF, 0x02, 0x02, 0x02 };
	const char *name = path;
	capset last, nd;
	errstat err;
	int nc;

	if (path == NULL)
		return STD_ARGBAD;
	if (colnames == NULL)
		colnames = def;
	for (nc = 0; colnames[nc] != NULL; nc++)
		;
	if ((err = sp_traverse(start, &name, &last)) != STD_OK)
		return err;
	err = sp_create(&last, colnames, &nd);
	if (err == STD_OK) {
		err = sp_append(&last, name, &nd, nc, masks);
		if (err != STD_OK)
			sp_discard(&nd);
		cs_free(&nd);
	}
	cs_free(&last);
	return err;
}

errstat
sp_init(void)
{
	return STD_OK;
}

char *
sp_alloc(unsigned int size, unsigned int n)
{
	return calloc(n ? n : 1, size ? size : 1);
}
