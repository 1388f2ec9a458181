/*
 * amunix_hello.c - an ordinary Amoeba program (threads, uniqport, RPC,
 * err_why) that tests/cluster/t_host.py builds for Linux with one
 * scripts/amunix-cc command and runs: a server thread echoes the
 * argument back to main through trans/getreq/putrep.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <thread.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>

static port get_port, put_port;

static void
server(char *param, int psize)
{
	char buf[256];
	header h;
	bufsize n;

	(void)param;
	(void)psize;
	h.h_port = get_port;
	n = getreq(&h, buf, sizeof(buf));
	h.h_status = STD_OK;
	putrep(&h, buf, ERR_STATUS(n) ? 0 : n);
}

int
main(int argc, char **argv)
{
	char reply[256] = "";
	const char *msg = argc > 1 ? argv[1] : "hello";
	header h;
	bufsize n;

	uniqport(&get_port);
	priv2pub(&get_port, &put_port);
	if (!thread_newthread(server, 8192, NULL, 0))
		return 1;
	memset(&h, 0, sizeof(h));
	h.h_port = put_port;
	n = trans(&h, (bufptr)msg, (bufsize)strlen(msg), &h, reply,
		  sizeof(reply) - 1);
	if (ERR_STATUS(n)) {
		printf("trans: %s\n", err_why(ERR_CONVERT(n)));
		return 1;
	}
	reply[n] = 0;
	printf("echoed: %s\n", reply);
	return 0;
}
