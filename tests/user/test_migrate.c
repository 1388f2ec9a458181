/*
 * test_migrate.c - the process that tests/cluster/t_migrate.py moves
 * between nodes, and its client.
 *
 *   test_migrate serve     three threads: the main one counts in its data
 *                          segment and checks a 256 KiB heap pattern; one
 *                          sleeps in a loop; one serves getreq on a
 *                          random port (printed as "migtest: port HEX").
 *                          Runs until killed.
 *   test_migrate ask HEX   one request to that port: prints
 *                          "migtest: counter N heap ok|BAD sleeps M",
 *                          exit 0 (1 if the request failed)
 *
 * The counter, the heap and the sleeps live in the process's memory, so
 * a moved process that answers with a larger counter and "heap ok" was
 * moved with its data intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <cmdreg.h>
#include <stderr.h>
#include <thread.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>

#define HEAP_LEN	(256 * 1024)
#define MIG_STATUS	(UNREGISTERED_FIRST_COM + 40)
#define STACK		16384

static volatile uint32_t counter;	/* in the data segment */
static volatile uint32_t sleeps;
static volatile int heap_bad;
static uint8_t *heap;
static port getport;

static uint8_t
pattern(uint32_t i)
{
	return (uint8_t)(i * 7u + (i >> 9));
}

static int
heap_ok(void)
{
	for (uint32_t i = 0; i < HEAP_LEN; i++)
		if (heap[i] != pattern(i))
			return 0;
	return 1;
}

static void
sleeper(char *param, int psize)
{
	(void)param;
	(void)psize;
	for (;;) {
		sys_sleep(20);
		sleeps++;
	}
}

static void
server(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = getport;
		if (rpc_getreq(&h, NILBUF, 0) < 0) {
			sys_sleep(50);
			continue;
		}
		if (h.h_command == MIG_STATUS) {
			h.h_offset = (int32)counter;
			h.h_extra = heap_bad ? 0 : 1;
			h.h_size = (bufsize)sleeps;
			h.h_status = STD_OK;
		} else
			h.h_status = STD_COMBAD;
		rpc_putrep(&h, NILBUF, 0);
	}
}

static int
serve(void)
{
	port put;

	heap = malloc(HEAP_LEN);
	if (heap == NULL) {
		printf("migtest: no heap\n");
		return 1;
	}
	for (uint32_t i = 0; i < HEAP_LEN; i++)
		heap[i] = pattern(i);
	uniqport(&getport);
	priv2pub(&getport, &put);
	if (thread_newthread(sleeper, STACK, NULL, 0) == 0 ||
	    thread_newthread(server, STACK, NULL, 0) == 0) {
		printf("migtest: no threads\n");
		return 1;
	}
	printf("migtest: port %02x%02x%02x%02x%02x%02x\n",
	       put._portbytes[0], put._portbytes[1], put._portbytes[2],
	       put._portbytes[3], put._portbytes[4], put._portbytes[5]);
	for (;;) {
		counter++;
		if (counter % 64 == 0) {
			if (!heap_ok())
				heap_bad = 1;
			sys_sleep(10);
		}
	}
}

static int
ask(const char *hex)
{
	unsigned b[6];
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	if (strlen(hex) != 12 || sscanf(hex, "%2x%2x%2x%2x%2x%2x", &b[0], &b[1],
					&b[2], &b[3], &b[4], &b[5]) != 6) {
		printf("migtest: bad port %s\n", hex);
		return 2;
	}
	for (int i = 0; i < 6; i++)
		h.h_port._portbytes[i] = (uint8)b[i];
	h.h_command = MIG_STATUS;
	r = rpc_trans(&h, NILBUF, 0, &h, NILBUF, 0);
	if (r < 0 || h.h_status != STD_OK) {
		printf("migtest: request failed (%d, %d)\n", (int)r,
		       (int)h.h_status);
		return 1;
	}
	printf("migtest: counter %lu heap %s sleeps %lu\n",
	       (unsigned long)(uint32_t)h.h_offset, h.h_extra ? "ok" : "BAD",
	       (unsigned long)h.h_size);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "serve") == 0)
		return serve();
	if (argc == 3 && strcmp(argv[1], "ask") == 0)
		return ask(argv[2]);
	printf("usage: test_migrate serve | ask PORT\n");
	return 2;
}
