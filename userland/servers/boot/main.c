/*
 * main.c - the boot server (spec 9), the first user process of a node:
 * the kernel starts it from /bin/boot with ROOT, WORK and the console
 * (STDIN, STDOUT, STDERR, TTY) in its capability environment.
 *
 *   boot [-f CONF] [-i LIST] [-n NODE]
 *
 * It installs new programs first when -i names a list (install.c), reads
 * its configuration (CONF; else /etc/boot/NODE, this node's own; else
 * /etc/boot.conf, shared by every node without its own; else the
 * built-in default, a shell on the console; each bad line is named on
 * the console and the rest kept), publishes its capability as
 * /boot/NODE in the directory server, answers std_info, std_status (the
 * table of services) and BOOT_CONF (stop/start a service; the command
 * `bootctl`) on two threads, and runs the services (svc.c) on the main
 * thread.  Every node runs its own boot server for its own services
 * (its console shell among them); a service may name another node
 * (`machine`), and is then started there and watched from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <thread.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <server/boot/boot.h>

#include "bootsvr.h"

#define CONF_DEFAULT	"/etc/boot.conf"	/* shared by the nodes */
#define CONF_NODEDIR	"/etc/boot"	/* /etc/boot/NODE: one node's own */
#define CONF_MAX	16384	/* bytes of configuration text */
#define REQMAX		512
#define REPMAX		8192
#define NSERVE		2	/* request threads */

errstat install_list(const char *hexcap);

static struct conf conf;
static const char *node;
static port getport, checkport;
static capability self;		/* the published capability */

static void
conf_error(int line, const char *msg)
{
	printf("boot: configuration line %d: %s\n", line, msg);
}

/* Read path into a fresh buffer; NULL when it cannot be read. */
static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = malloc(CONF_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, CONF_MAX, f);
	if (n == CONF_MAX && fgetc(f) != EOF)
		printf("boot: %s: longer than %d bytes; the rest is ignored\n",
		       path, CONF_MAX);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static void
parse(const char *path, char *text)
{
	conf_parse(text, &conf, conf_error);
	free(text);
	printf("boot: %s: %d service(s)%s\n", path, conf.nsvc,
	       conf.errors ? ", lines in error skipped" : "");
}

/*
 * The configuration: path when -f gave one; else this node's own
 * CONF_NODEDIR/NODE, else the shared CONF_DEFAULT; else the built-in
 * default (a shell on the console).
 */
static void
load_conf(const char *path)
{
	char own[64], *text;

	if (path != NULL) {
		if ((text = read_text(path)) != NULL) {
			parse(path, text);
			return;
		}
		printf("boot: %s: cannot read it\n", path);
	} else {
		snprintf(own, sizeof(own), "%s/%s", CONF_NODEDIR, node);
		if ((text = read_text(own)) == NULL)
			snprintf(own, sizeof(own), "%s", CONF_DEFAULT);
		if (text != NULL || (text = read_text(own)) != NULL) {
			parse(own, text);
			return;
		}
		printf("boot: no %s/%s or %s\n", CONF_NODEDIR, node,
		       CONF_DEFAULT);
	}
	printf("boot: the built-in configuration: a shell on the "
	       "console\n");
	conf_default(&conf);
}

/* Enter self as BOOT_DIR/node (replacing what a former boot left). */
static void
publish(void)
{
	char path[64];
	errstat err;

	snprintf(path, sizeof(path), "%s/%s", BOOT_DIR, node);
	name_create(BOOT_DIR);		/* fails when it is there: fine */
	err = name_replace(path, &self);
	if (err != STD_OK)
		err = name_append(path, &self);
	if (err != STD_OK)
		printf("boot: cannot publish %s: %s\n", path, err_why(err));
	else
		printf("boot: serving as %s\n", path);
}

/* A text reply of n bytes (cut to the buffer, as snprintf counts). */
static int
reply_text(header *h, int n)
{
	if (n >= REPMAX)
		n = REPMAX - 1;
	h->h_status = STD_OK;
	h->h_size = (bufsize)n;
	return n;
}

/* One request; returns the reply body's length. */
static int
handle(header *h, char *req, int n, char *rep)
{
	rights_bits rights;

	if (prv_number(&h->h_priv) != 0 ||
	    prv_decode(&h->h_priv, &rights, &checkport) < 0) {
		h->h_status = STD_CAPBAD;
		return 0;
	}
	switch (h->h_command) {
	case STD_INFO:
		return reply_text(h, snprintf(rep, REPMAX,
			"bootsvr: %s (%d services)", node, conf.nsvc));
	case STD_STATUS:
	case BOOT_CTL:
		return reply_text(h, svc_status(rep, REPMAX));
	case BOOT_CONF:
		if (!(rights & BOOT_RGT_ADMIN)) {
			h->h_status = STD_DENIED;
			return 0;
		}
		if (n <= 0 || memchr(req, 0, (size_t)n) == NULL) {
			h->h_status = STD_ARGBAD;
			return 0;
		}
		h->h_status = (command)svc_control(req, h->h_extra != 0);
		return 0;
	default:
		h->h_status = STD_COMBAD;
		return 0;
	}
}

static void
serve(char *param, int psize)
{
	char *req = malloc(REQMAX), *rep = malloc(REPMAX);
	header h;
	int32 n;

	(void)param;
	(void)psize;
	if (req == NULL || rep == NULL)
		return;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = getport;
		n = rpc_getreq(&h, req, REQMAX);
		if (n < 0)
			continue;
		n = handle(&h, req, n, rep);
		rpc_putrep(&h, rep, (f_size_t)n);
	}
}

static void
usage(void)
{
	printf("usage: boot [-f CONF] [-i LIST] [-n NODE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *list = NULL;
	struct run_owner *o;
	capability ocap;
	errstat err;

	node = getenv("VX_NODE") ? getenv("VX_NODE") : "vx";
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-f") == 0 && a + 1 < argc) {
			path = argv[++a];
		} else if (strcmp(argv[a], "-i") == 0 && a + 1 < argc) {
			list = argv[++a];
		} else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) {
			node = argv[++a];
		} else {
			usage();
		}
	}
	printf("boot: boot server of %s\n", node);
	if (list != NULL && (err = install_list(list)) != STD_OK)
		printf("boot: install: %s\n", err_why(err));
	load_conf(path);
	if ((err = run_owner_new(&o, &ocap)) != STD_OK) {
		printf("boot: no owner port: %s\n", err_why(err));
		return 1;
	}
	uniqport(&getport);
	uniqport(&checkport);
	priv2pub(&getport, &self.cap_port);
	prv_encode(&self.cap_priv, 0, PRV_ALL_RIGHTS, &checkport);
	svc_init(&conf, node, o, &ocap);
	for (int i = 0; i < NSERVE; i++)
		if (!thread_newthread(serve, 16384, NULL, 0))
			printf("boot: cannot start a request thread\n");
	publish();
	fflush(stdout);
	svc_run();
	return 0;
}
