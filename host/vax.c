/*
 * vax - run a native VX program from the Linux file system on a node
 * (the VX paper's VAX).
 *
 *   vax [-m node] [-s stacksize] ./program [args ...]
 *
 * program is an Amoeba executable as the VX build makes them
 * (build/user/NAME: process descriptor, text, data).  vax serves, on a
 * port of its own, the file itself (BS_READ and BS_SIZE: the node's
 * process server reads text and data straight from here); the program's
 * STDIN, STDOUT and STDERR are those of run_capv (host/term.c: a
 * terminal server in vax on its standard input, output and error).  It
 * starts the program with exec_file on node's process server ($VX_NODE
 * or "vx" without -m) with argv, VX_NODE=node and PATH=/bin in its
 * environment and those three capabilities, waits for it as its owner
 * (PS_CHECKPOINT) and exits with its exit status; a fault or a stun
 * gives a message and 128 + the exception number or stun detail.
 * Usage errors exit 2, other failures (no such file, not an executable,
 * unknown node) 1.  The network comes from $VX_NET (libamunix).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <amunix.h>
#include <caplist.h>
#include <stderr.h>
#include <thread.h>
#include <amoeba/pd.h>
#include <module/kdir.h>
#include <module/prv.h>
#include <module/proc.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/run.h>
#include <module/stdcmd.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>
#include <server/tty/tty.h>
#include <stdcom.h>

#define VAX_NTHREAD	3		/* server threads on vax's port */
#define VAX_BUF		(64 * 1024)	/* request / reply buffer */
#define VAX_LOCATE	5000		/* ms to find the node */

#define OBJ_FILE	1		/* the one object vax serves */

static const char *prog_name = "vax";
static port get_port, put_port;
static port check;			/* the file's check field */
static char *image;			/* the executable's bytes */
static long image_len;
static capability file_cap;

static int
msg(const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", prog_name, what, why);
	return 1;
}

/* Read path into image; 0 or a message's exit status. */
static int
load(const char *path)
{
	struct pd_info pd;
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return msg(path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return msg(path, "cannot size the file");
	}
	image = malloc(n > 0 ? (size_t)n : 1);
	if (image == NULL || fread(image, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return msg(path, "cannot read the file");
	}
	fclose(f);
	image_len = n;
	if (pd_get((uint8_t *)image, (size_t)n, &pd) < 0)
		return msg(path, "not a VX executable (no i80386 process "
			   "descriptor at its start)");
	return 0;
}

/* Does a request's capability name the file (checked)? */
static int
is_file(header *h)
{
	rights_bits r;

	return prv_number(&h->h_priv) == OBJ_FILE &&
	       prv_decode(&h->h_priv, &r, &check) == 0;
}

static bufsize
serve_read(header *h, char *buf)
{
	long off = h->h_offset, n = h->h_size;

	if (off < 0 || off > image_len) {
		h->h_status = STD_ARGBAD;
		return 0;
	}
	if (n > VAX_BUF)
		n = VAX_BUF;
	if (n > image_len - off)
		n = image_len - off;
	memcpy(buf, image + off, (size_t)n);
	h->h_status = STD_OK;
	h->h_size = (bufsize)n;
	return (bufsize)n;
}

/* One of vax's server threads: the file. */
static void
server(char *param, int psize)
{
	char *buf = malloc(VAX_BUF);
	header h;
	int32 n;

	(void)param;
	(void)psize;
	if (buf == NULL)
		thread_exit();
	for (;;) {
		bufsize rn = 0;

		memset(&h, 0, sizeof(h));
		h.h_port = get_port;
		n = rpc_getreq(&h, buf, VAX_BUF);
		if (n < 0)
			continue;
		if (!is_file(&h)) {
			h.h_status = STD_CAPBAD;
		} else if (h.h_command == BS_READ) {
			rn = serve_read(&h, buf);
		} else if (h.h_command == BS_SIZE) {
			h.h_status = STD_OK;
			h.h_offset = (int32)image_len;
		} else if (h.h_command == STD_INFO) {
			rn = (bufsize)snprintf(buf, VAX_BUF, "vax file");
			h.h_status = STD_OK;
			h.h_size = rn;
		} else {
			h.h_status = STD_COMBAD;
		}
		rpc_putrep(&h, buf, rn);
	}
}

/* The exit status for how the program ended (with a message). */
static int
end_status(const char *prog, int how, int status)
{
	char what[64];

	if (how == RUN_EXITED)
		return status & 0xFF;
	snprintf(what, sizeof(what), how == RUN_FAULTED ?
		 "fault (exception %d)" : "stunned (detail %d)", status);
	msg(prog, what);
	status &= 0x7F;
	return 128 + (status ? status : 1);
}

static int
vax_run(const char *node, long stack, char **argv)
{
	struct caplist *capv;
	char nodevar[RUN_NODEMAX + 8];
	char *envp[] = { nodevar, "PATH=/bin", NULL };
	capability kd, host, ocap, proc;
	struct run_owner *o;
	int how, status;
	interval old;
	errstat err;

	uniqport(&get_port);
	priv2pub(&get_port, &put_port);
	uniqport(&check);
	file_cap.cap_port = put_port;
	if (prv_encode(&file_cap.cap_priv, OBJ_FILE, PRV_ALL_RIGHTS,
		       &check) < 0)
		return msg("capability", "cannot encode");
	if ((capv = run_capv()) == NULL)
		return msg("terminal", "cannot start its server");
	for (int i = 0; i < VAX_NTHREAD; i++)
		if (!thread_newthread(server, 64 * 1024, NULL, 0))
			return msg("threads", "cannot start a server thread");
	snprintf(nodevar, sizeof(nodevar), "VX_NODE=%s", node);
	old = timeout(VAX_LOCATE);
	host_kdir_cap(node, &kd);
	err = kdir_find(&kd, PROCESS_SVR_NAME, &host);
	timeout(old);
	if (err != STD_OK) {
		char what[RUN_NODEMAX + 8];

		snprintf(what, sizeof(what), "node %s", node);
		return msg(what, err == RPC_NOTFOUND || err == STD_NOTFOUND ?
			   "not found" : err_why(err));
	}
	if ((err = run_owner_new(&o, &ocap)) != STD_OK)
		return msg("owner", err_why(err));
	err = exec_file(&file_cap, &host, &ocap, stack, argv, envp,
			capv, &proc);
	if (err != STD_OK)
		return msg(argv[0], err_why(err));
	err = run_wait(o, &proc, &how, &status, -1);
	if (err != STD_OK)
		return msg(argv[0], err == STD_NOTFOUND ?
			   "ended without a report" : "its node is down");
	return end_status(argv[0], how, status);
}

#define VAX_USAGE "usage: vax [-m node] [-s stacksize] ./program [args ...]\n"

int
main(int argc, char **argv)
{
	const char *node = getenv("VX_NODE");
	long stack = 0;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i], *val;
		char *end;

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if ((opt[1] != 'm' && opt[1] != 's') ||
		    (opt[2] == 0 && i + 1 >= argc)) {
			fputs(VAX_USAGE, stderr);
			return 2;
		}
		val = opt[2] != 0 ? opt + 2 : argv[++i];
		if (opt[1] == 'm') {
			node = val;
			continue;
		}
		stack = strtol(val, &end, 0);
		if (*end == 'k' || *end == 'K') {
			stack *= 1024;
			end++;
		}
		if (*end != 0 || stack <= 0 || stack > (1L << 28)) {
			fputs(VAX_USAGE, stderr);
			return 2;
		}
	}
	if (i == argc) {
		fputs(VAX_USAGE, stderr);
		return 2;
	}
	if (node == NULL || node[0] == 0)
		node = KDIR_DEFAULT_NODE;
	if (strlen(node) >= RUN_NODEMAX)
		return msg(node, "node name too long");
	if ((rc = load(argv[i])) != 0)
		return rc;
	return vax_run(node, stack, argv + i);
}
