/*
 * exec.c - exec_file (module/proc.h, spec 8.2-8.4): start an Amoeba
 * executable stored in a Bullet file on any node.
 *
 * The PD is read from the start of the file, doubling the read size
 * until it parses (at most MAX_PDSIZE bytes); segments with a null
 * capability and contents in the file are pointed at the file, so the
 * target host reads text and data from the file server itself.  The
 * initial stack is built here (pd_buildstack) and written into a
 * segment made on the target host (PS_SEG_CREATE, PS_SEG_WRITE); the PD
 * names it with MAP_AND_DESTROY, so the host drops it after copying.
 * When the exec fails, the stack segment is destroyed here.
 *
 * OCaml bytecode (a file that is no PD but ends in OCaml's trailer, the
 * magic "Caml1999X..." in its last 12 bytes) is started with its
 * interpreter, as UNIX starts a #! script: the PD of $VAM_OCAMLRUN, else
 * /bin/ocamlrun, with the program's own argv and envp and its capability
 * environment plus VAMPROG, the bytecode file; VX's ocamlrun (vam/
 * ocamlrun/vam_main.c) runs the file VAMPROG names.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <capset.h>
#include <stderr.h>
#include <amoeba/pd.h>
#include <module/proc.h>
#include <module/stdcmd.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>
#include <server/soap/soap.h>

#define EXEC_DEFSTACK	(64 * 1024)	/* stack when neither PD nor caller say */
#define EXEC_MARGIN	(8 * 1024)	/* room below the arguments */
#define EXEC_MAXARGS	(256 * 1024)	/* argv, envp and capv at most */
#define EXEC_PAGE	4096
#define EXEC_USER_END	0xC0000000u	/* when the PD gives no stack address */
#define EXEC_FIRSTREAD	1024
#define EXEC_INTERP	"/bin/ocamlrun"	/* bytecode's interpreter */
#define EXEC_PROGCAP	"VAMPROG"	/* the bytecode, for the interpreter */
#define EXEC_CAMLMAGIC	"Caml1999X"	/* OCaml's bytecode trailer magic */
#define EXEC_TRAILER	12		/* the magic's place from the end */

/* Read and parse prog's PD (spec 8.2: doubling the read size). */
static errstat
read_pd(capability *prog, struct pd_info *pd)
{
	b_fsize want = EXEC_FIRSTREAD, got;
	errstat err = STD_NOMEM;
	char *buf;
	int n;

	for (;;) {
		buf = malloc((size_t)want);
		if (buf == NULL)
			return STD_NOMEM;
		err = b_read(prog, 0, buf, want, &got);
		n = err == STD_OK ? pd_get((uint8_t *)buf, (size_t)got, pd) : 0;
		free(buf);
		if (err == STD_COMBAD)	/* not a file: a directory, ... */
			return EXEC_NOTEXEC;
		if (err != STD_OK)
			return err;
		if (n > 0)
			return STD_OK;
		if (n == STD_COMBAD || got < want || want >= MAX_PDSIZE)
			return EXEC_NOTEXEC;
		want = want * 2 > MAX_PDSIZE ? MAX_PDSIZE : want * 2;
	}
}

static int
is_stack(const struct pd_segment *sd)
{
	return (sd->sd_type & MAP_SYSTEM) ||
	       ((sd->sd_type & MAP_GROWMASK) == MAP_GROWDOWN &&
		(sd->sd_type & MAP_TYPEMASK) == MAP_TYPEDATA);
}

/* The capability environment as cap_env entries (malloc'd, or NULL). */
static struct cap_env *
cap_envs(struct caplist *capv, int *n)
{
	struct cap_env *ce;
	int i;

	for (*n = 0; capv != NULL && capv[*n].cl_name != NULL; (*n)++)
		;
	ce = malloc(sizeof(*ce) * (size_t)(*n + 1));
	for (i = 0; ce != NULL && i < *n; i++) {
		ce[i].name = capv[i].cl_name;
		ce[i].cap = *capv[i].cl_cap;
	}
	return ce;
}

/* A segment of len bytes on host (PS_SEG_CREATE). */
static errstat
seg_make(capability *host, uint32_t len, capability *seg)
{
	header h = { 0 };
	bufsize r;

	h.h_port = host->cap_port;
	h.h_priv = host->cap_priv;
	h.h_command = PS_SEG_CREATE;
	h.h_offset = (int32)len;
	r = trans(&h, NILBUF, 0, &h, NILBUF, 0);
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	seg->cap_port = h.h_port;
	seg->cap_priv = h.h_priv;
	return STD_OK;
}

/* Write buf[off, len) into seg at the same offsets (PS_SEG_WRITE). */
static errstat
seg_put(capability *seg, const uint8_t *buf, uint32_t off, uint32_t len)
{
	while (off < len) {
		uint32_t n = len - off > PSVR_BUFSZ ? PSVR_BUFSZ : len - off;
		header h = { 0 };
		bufsize r;

		h.h_port = seg->cap_port;
		h.h_priv = seg->cap_priv;
		h.h_command = PS_SEG_WRITE;
		h.h_offset = (int32)off;
		h.h_size = (bufsize)n;
		r = trans(&h, (bufptr)(buf + off), (_bufsize)n, &h, NILBUF, 0);
		if (ERR_STATUS(r))
			return ERR_CONVERT(r);
		if (ERR_STATUS(h.h_status))
			return ERR_CONVERT(h.h_status);
		off += n;
	}
	return STD_OK;
}

/*
 * Build the stack for sd on host; fill in sd and *sp.  Its size (spec
 * 8.3): stacksize, else the PD's, else the default, raised to what the
 * arguments need plus a margin; arguments over EXEC_MAXARGS are refused.
 */
static errstat
make_stack(capability *host, struct pd_segment *sd, long stacksize,
	   char **argv, char **envp, struct caplist *capv, uint32_t *sp)
{
	uint32_t end = sd->sd_addr ? sd->sd_addr + sd->sd_len : EXEC_USER_END;
	uint32_t len = stacksize > 0 ? (uint32_t)stacksize
		       : sd->sd_len ? sd->sd_len : EXEC_DEFSTACK;
	struct cap_env *ce;
	capability seg;
	uint32_t need;
	uint8_t *img;
	errstat err;
	int nce;

	ce = cap_envs(capv, &nce);
	if (ce == NULL)
		return STD_NOMEM;
	need = pd_stackneed((const char *const *)argv,
			    (const char *const *)envp, ce, nce);
	if (need > EXEC_MAXARGS) {
		free(ce);
		return EXEC_BIGARGS;
	}
	if (len < need + EXEC_MARGIN)	/* spec 8.3: raise it */
		len = need + EXEC_MARGIN;
	len = (len + EXEC_PAGE - 1) & ~(uint32_t)(EXEC_PAGE - 1);
	end &= ~(uint32_t)(EXEC_PAGE - 1);
	img = calloc(1, len);
	err = img == NULL ? STD_NOMEM
	      : pd_buildstack(img, len, end - len, (const char *const *)argv,
			      (const char *const *)envp, ce, nce, sp);
	free(ce);
	if (err == STD_OK)
		err = seg_make(host, len, &seg);
	if (err == STD_OK) {
		err = seg_put(&seg, img, (*sp - (end - len)) & ~3u, len);
		if (err != STD_OK)
			std_destroy(&seg);
	}
	free(img);
	if (err != STD_OK)
		return err == STD_NOSPACE ? EXEC_BIGARGS : err;
	sd->sd_cap = seg;
	sd->sd_offset = 0;
	sd->sd_addr = end - len;
	sd->sd_len = len;
	sd->sd_type = MAP_GROWDOWN | MAP_TYPEDATA | MAP_READWRITE |
		      MAP_AND_DESTROY;
	return STD_OK;
}

/* Start the PD pd of prog on host (exec_file after the PD is read). */
static errstat
exec_pd(capability *prog, struct pd_info *pd, capability *host,
	capability *owner, long stacksize, char **argv, char **envp,
	struct caplist *capv, capability *retcap)
{
	errstat err;
	uint32_t sp;
	int st = -1;

	for (int i = 0; i < pd->nseg; i++) {
		struct pd_segment *sd = &pd->seg[i];

		if (NULLPORT(&sd->sd_cap.cap_port) && sd->sd_offset != 0)
			sd->sd_cap = *prog;
		else if (st < 0 && NULLPORT(&sd->sd_cap.cap_port) &&
			 (sd->sd_type & ~MAP_BINARY) != 0 && is_stack(sd))
			st = i;
	}
	if (st < 0)
		return EXEC_NOTEXEC;	/* no stack segment */
	err = make_stack(host, &pd->seg[st], stacksize, argv, envp, capv, &sp);
	if (err != STD_OK)
		return err;
	pd->thread[0].sp = sp;
	memset(&pd->owner, 0, sizeof(pd->owner));
	if (owner != NULL)
		pd->owner = *owner;
	err = pro_exec(host, pd, retcap);
	if (err != STD_OK)
		std_destroy(&pd->seg[st].sd_cap);
	return err;
}

/* Whether prog ends in OCaml's bytecode trailer. */
static int
is_bytecode(capability *prog)
{
	char tail[EXEC_TRAILER];
	b_fsize size, got;

	if (b_size(prog, &size) != STD_OK || size < 4 + EXEC_TRAILER)
		return 0;
	if (b_read(prog, size - EXEC_TRAILER, tail, EXEC_TRAILER, &got) !=
	    STD_OK || got != EXEC_TRAILER)
		return 0;
	return memcmp(tail, EXEC_CAMLMAGIC, strlen(EXEC_CAMLMAGIC)) == 0;
}

/* The interpreter's capability and PD; EXEC_NOINTERP when there is no
 * such file or it is no PD (bytecode does not interpret bytecode). */
static errstat
find_interp(capability *interp, struct pd_info *pd)
{
	const char *path = getenv("VAM_OCAMLRUN");
	capset cs;
	errstat err;

	if (path == NULL || path[0] == 0)
		path = EXEC_INTERP;
	if (sp_lookup(SP_DEFAULT, path, &cs) != STD_OK)
		return EXEC_NOINTERP;
	err = cs_to_cap(&cs, interp);
	cs_free(&cs);
	if (err != STD_OK || read_pd(interp, pd) != STD_OK)
		return EXEC_NOINTERP;
	return STD_OK;
}

/* capv without VAMPROG, plus VAMPROG = prog (malloc'd, or NULL). */
static struct caplist *
bytecode_capv(struct caplist *capv, capability *prog)
{
	struct caplist *cl;
	int n = 0, j = 0;

	while (capv != NULL && capv[n].cl_name != NULL)
		n++;
	if ((cl = malloc(sizeof(*cl) * (size_t)(n + 2))) == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(capv[i].cl_name, EXEC_PROGCAP) != 0)
			cl[j++] = capv[i];
	cl[j].cl_name = EXEC_PROGCAP;
	cl[j++].cl_cap = prog;
	cl[j].cl_name = NULL;
	cl[j].cl_cap = NULL;
	return cl;
}

errstat
exec_file(capability *prog, capability *host, capability *owner,
	  long stacksize, char **argv, char **envp, struct caplist *capv,
	  capability *retcap)
{
	struct caplist *cl;
	struct pd_info pd;
	capability interp;
	errstat err;

	if (prog == NULL || host == NULL || retcap == NULL || stacksize < 0)
		return STD_ARGBAD;
	err = read_pd(prog, &pd);
	if (err == STD_OK)
		return exec_pd(prog, &pd, host, owner, stacksize, argv, envp,
			       capv, retcap);
	if (err != EXEC_NOTEXEC || !is_bytecode(prog))
		return err;
	if ((err = find_interp(&interp, &pd)) != STD_OK)
		return err;
	if ((cl = bytecode_capv(capv, prog)) == NULL)
		return STD_NOMEM;
	err = exec_pd(&interp, &pd, host, owner, stacksize, argv, envp, cl,
		      retcap);
	free(cl);
	return err;
}
