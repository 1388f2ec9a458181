/*
 * test_migrate.c - the process that tests/cluster/t_migrate.py moves
 * between nodes, and its client.
 *
 *   test_migrate serve [KIB]  three threads: the main one counts in its
 *                          data segment and checks a heap pattern (256
 *                          KiB unless KIB says otherwise); one
 *                          sleeps in a loop; one serves getreq on a
 *                          random port (printed as "migtest: port HEX").
 *                          Runs until killed.
 *   test_migrate ask HEX   one request to that port: prints
 *                          "migtest: counter N heap ok|BAD sleeps M
 *                          fpu ok|BAD" (fpu: a double the counting
 *                          thread keeps in registers still matches),
 *                          exit 0 (1 if the request failed)
 *   test_migrate count HEX N [MS]  N requests in a row, each answered
 *                          by the next number: "migtest: count N replies
 *                          ok|BAD failures F longest T ms"; with MS the
 *                          server takes its number and then waits MS
 *                          ms before it replies (a request long in
 *                          flight: a client moved meanwhile must not
 *                          have it run twice)
 *   test_migrate self NODE...  moves itself (migrate_self) to each NODE
 *                          in turn with a 256 KiB heap, printing
 *                          "migtest: on NODE pid P" before and
 *                          "migtest: moved to NODE: RESULT, on NODE pid
 *                          P heap ok|BAD text file|node" after each move
 *                          (text: where its PD, getinfo, says a new node
 *                          would fetch its text from: the file server
 *                          or this node's process server), then
 *                          "migtest: waiting for a line", reads one line
 *                          from its standard input and prints
 *                          "migtest: read LINE"; exit 0, 1 when a move
 *                          failed
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
#include <module/run.h>
#include <module/syscall.h>
#include <amoeba/pd.h>

#define HEAP_DEFAULT	256	/* KiB */
#define MIG_STATUS	(UNREGISTERED_FIRST_COM + 40)
#define MIG_NEXT	(UNREGISTERED_FIRST_COM + 41)
#define STACK		16384

static volatile uint32_t counter;	/* in the data segment */
static volatile uint32_t sleeps;
static uint32_t served;			/* MIG_NEXT replies so far */
static volatile int heap_bad;
static volatile int fpu_bad;
static uint8_t *heap;
static uint32_t heap_len;
static port getport;

static uint8_t
pattern(uint32_t i)
{
	return (uint8_t)(i * 7u + (i >> 9));
}

static int
heap_ok(void)
{
	for (uint32_t i = 0; i < heap_len; i++)
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
			h.h_extra = (heap_bad ? 0 : 1) | (fpu_bad ? 0 : 2);
			h.h_size = (bufsize)sleeps;
			h.h_status = STD_OK;
		} else if (h.h_command == MIG_NEXT) {
			h.h_offset = (int32)++served;
			h.h_status = STD_OK;
			if (h.h_extra > 0)	/* a slow request */
				sys_sleep(h.h_extra);
		} else
			h.h_status = STD_COMBAD;
		rpc_putrep(&h, NILBUF, 0);
	}
}

static int
serve(long kib)
{
	port put;

	if (kib <= 0 || kib > 16384) {
		printf("migtest: bad heap size %ld KiB\n", kib);
		return 2;
	}
	heap_len = (uint32_t)kib * 1024;
	heap = malloc(heap_len);
	if (heap == NULL) {
		printf("migtest: no heap\n");
		return 1;
	}
	for (uint32_t i = 0; i < heap_len; i++)
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
	/* acc lives in FPU/SSE registers across the sleeps: a move that
	 * lost the thread's FPU state would show here */
	double acc = 0.0;
	uint32_t mine = 0;

	for (;;) {
		counter++;
		mine++;
		acc += 1.0;
		if (counter % 64 == 0) {
			if (!heap_ok())
				heap_bad = 1;
			if (acc != (double)mine)
				fpu_bad = 1;
			sys_sleep(10);
		}
	}
}

static int
get_port(const char *hex, port *p)
{
	unsigned b[6];

	if (strlen(hex) != 12 || sscanf(hex, "%2x%2x%2x%2x%2x%2x", &b[0], &b[1],
					&b[2], &b[3], &b[4], &b[5]) != 6) {
		printf("migtest: bad port %s\n", hex);
		return -1;
	}
	for (int i = 0; i < 6; i++)
		p->_portbytes[i] = (uint8)b[i];
	return 0;
}

/*
 * n MIG_NEXT requests, one after the other, on one port: each reply
 * must be the next number, skipping at most the requests that failed
 * (RPC_FAILURE: ran once or not at all); nothing runs twice.
 */
static int
count(const char *hex, long n, long ms)
{
	uint32_t last = 0, longest = 0, t0, t;
	long failures = 0, wrong = 0, since = 0, why = 0;
	header h;
	port p;
	int32 r;

	if (get_port(hex, &p) < 0 || n <= 0 || ms < 0 || ms > 10000)
		return 2;
	printf("migtest: counting to %ld\n", n);
	t0 = (uint32_t)sys_milli();
	for (long i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.h_port = p;
		h.h_command = MIG_NEXT;
		h.h_extra = (uint16)ms;
		r = rpc_trans(&h, NILBUF, 0, &h, NILBUF, 0);
		t = (uint32_t)sys_milli();
		if (t - t0 > longest)
			longest = t - t0;
		t0 = t;
		if (r < 0 || h.h_status != STD_OK) {
			if (failures++ == 0)
				why = r < 0 ? r : (long)h.h_status;
			since++;	/* it ran once or not at all */
			continue;
		}
		/* the next number, or skipping only failed requests (the
		 * first reply sets the start: others may have counted) */
		if (last != 0 && ((uint32_t)h.h_offset <= last ||
		    (uint32_t)h.h_offset - last - 1 > (uint32_t)since)) {
			wrong++;
			printf("migtest: request %ld: reply %lu after %lu, "
			       "%ld failed since\n", i,
			       (unsigned long)(uint32_t)h.h_offset,
			       (unsigned long)last, since);
		}
		last = (uint32_t)h.h_offset;
		since = 0;
		sys_sleep(5);
	}
	printf("migtest: count %ld replies %s failures %ld longest %lu ms "
	       "(first failure %ld)\n", n, wrong == 0 ? "ok" : "BAD", failures,
	       (unsigned long)longest, why);
	return wrong == 0 ? 0 : 1;
}

static int
ask(const char *hex)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	if (get_port(hex, &h.h_port) < 0)
		return 2;
	h.h_command = MIG_STATUS;
	r = rpc_trans(&h, NILBUF, 0, &h, NILBUF, 0);
	if (r < 0 || h.h_status != STD_OK) {
		printf("migtest: request failed (%d, %d)\n", (int)r,
		       (int)h.h_status);
		return 1;
	}
	printf("migtest: counter %lu heap %s sleeps %lu fpu %s\n",
	       (unsigned long)(uint32_t)h.h_offset,
	       (h.h_extra & 1) ? "ok" : "BAD", (unsigned long)h.h_size,
	       (h.h_extra & 2) ? "ok" : "BAD");
	return 0;
}

/* Where a checkpoint sends a new node for our text: "file" when the
 * read-only segment names another server than our process server. */
static const char *
text_from(void)
{
	static char buf[8192];
	static struct pd_info pd;
	capability me;
	int n = getinfo(&me, buf, (int)sizeof(buf));

	if (n < 0 || pd_get((uint8_t *)buf, (size_t)n, &pd) < 0)
		return "?";
	for (int i = 0; i < pd.nseg; i++)
		if ((pd.seg[i].sd_type & MAP_PROTMASK) == MAP_READONLY)
			return memcmp(&pd.seg[i].sd_cap.cap_port,
				      &pd.self.cap_port, sizeof(port)) != 0 ?
			       "file" : "node";
	return "none";
}

/* The node $VX_NODE names (set by ax and by migrate_self). */
static const char *
here(void)
{
	const char *n = getenv("VX_NODE");

	return n != NULL ? n : "?";
}

static int
self(int argc, char **argv)
{
	char line[128];
	int failed = 0;
	errstat err;

	heap_len = HEAP_DEFAULT * 1024;
	if ((heap = malloc(heap_len)) == NULL) {
		printf("migtest: no heap\n");
		return 1;
	}
	for (uint32_t i = 0; i < heap_len; i++)
		heap[i] = pattern(i);
	for (int i = 2; i < argc; i++) {
		printf("migtest: on %s pid %ld\n", here(), sys_getpid());
		fflush(stdout);
		err = migrate_self(argv[i]);
		failed |= err != STD_OK;
		printf("migtest: moved to %s: %s, on %s pid %ld heap %s "
		       "text %s\n", argv[i], err_why(err), here(),
		       sys_getpid(), heap_ok() ? "ok" : "BAD", text_from());
		fflush(stdout);
	}
	printf("migtest: waiting for a line\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		strcpy(line, "(end of file)\n");
	printf("migtest: read %s", line);
	return failed;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "self") == 0)
		return self(argc, argv);
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "serve") == 0)
		return serve(argc == 3 ? strtol(argv[2], NULL, 10)
			     : HEAP_DEFAULT);
	if (argc == 3 && strcmp(argv[1], "ask") == 0)
		return ask(argv[2]);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "count") == 0)
		return count(argv[2], strtol(argv[3], NULL, 10),
			     argc == 5 ? strtol(argv[4], NULL, 10) : 0);
	printf("usage: test_migrate serve [KiB] | ask PORT | count PORT N "
	       "[MS] | self NODE...\n");
	return 2;
}
