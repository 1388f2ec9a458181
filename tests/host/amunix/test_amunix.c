/*
 * test_amunix.c - libamunix under ASan/UBSan (and TSan: _tsan): the
 * port (clock, random, sleep/wakeup across pthreads), Amoeba threads
 * (non-preemptive: only blocking calls switch), mutexes, semaphores,
 * thread_alloc, RPC between threads of one process through the linked
 * stack (0 B .. 1 MiB, errors, the locate timeout), signals (sig_catch,
 * sig_raise, sig_block, an aborted getreq, SIG_TRANS to a local server),
 * and RPC with a child process over a unix:DIR network (the threads
 * asleep in the stack read it: wait.c), SIG_TRANS across it included.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amoeba.h>
#include <amunix.h>
#include <stderr.h>
#include <semaphore.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/signals.h>
#include <module/syscall.h>

#include "check.h"
#include "flip/flip_port.h"
#include "host/amunix_impl.h"

/* ---- the port ------------------------------------------------------------ */

static volatile int woken;
static int flag;

static void *
waker(void *arg)
{
	pthread_mutex_lock(&amu_net);
	flag = 1;
	flip_port_wakeup(arg);
	pthread_mutex_unlock(&amu_net);
	return NULL;
}

static void
test_port(void)
{
	uint32_t t0 = flip_port_now_ms();
	struct timespec ts = { 0, 30 * 1000000L };
	uint8_t a[16] = { 0 }, b[16] = { 0 };
	pthread_t tid;
	int obj, r = 0;

	nanosleep(&ts, NULL);
	CHECK(flip_port_now_ms() - t0 >= 30 && flip_port_now_ms() - t0 < 5000,
	      "port: the clock moves with real time");
	flip_port_random(a, sizeof(a));
	flip_port_random(b, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0, "port: random bytes differ");
	pthread_mutex_lock(&amu_net);
	pthread_create(&tid, NULL, waker, &obj);
	while (!flag && r == 0)
		r = flip_port_sleep(&obj);
	pthread_mutex_unlock(&amu_net);
	CHECK(r == 0, "port: sleep returns 0");
	pthread_join(tid, NULL);
	CHECK(flag == 1, "port: a wakeup from another pthread ends a sleep");
}

/* ---- threads ------------------------------------------------------------- */

static int trace[16], ntrace;
static semaphore sem;
static mutex mu;
static int in_section, overlap;

/* Runs without blocking: nothing else may run in between. */
static void
busy(char *param, int psize)
{
	volatile unsigned long x = 0;

	trace[ntrace++] = *(int *)param + psize;
	for (unsigned long i = 0; i < 3000000; i++)
		x += i;
	trace[ntrace++] = *(int *)param + psize;
	sema_up(&sem);
}

static void
locker(char *param, int psize)
{
	(void)param;
	(void)psize;
	for (int i = 0; i < 50; i++) {
		mu_lock(&mu);
		if (in_section++)
			overlap = 1;
		sema_up(&sem);		/* no switch while holding the CPU */
		sema_down(&sem);	/* ... nor here: the level is > 0 */
		in_section--;
		mu_unlock(&mu);
		mu_trylock(&mu, 1);	/* a short wait lets others in */
		mu_unlock(&mu);
	}
	sema_up(&sem);
}

static int alloc_id;
static char *blocks[2];
static semaphore alive;

static void
allocator(char *param, int psize)
{
	char *p = thread_alloc(&alloc_id, 64);

	(void)psize;
	blocks[*(int *)param] = p;
	if (p != NULL && thread_alloc(&alloc_id, 64) != p)
		blocks[*(int *)param] = NULL;
	sema_up(&sem);
	sema_down(&alive);	/* its block goes at its end: compare first */
}

static void
test_threads(void)
{
	static int one = 10, two = 20, z0 = 0, z1 = 1;
	struct timespec t0, t1;
	int ok = 1;

	sema_init(&sem, 0);
	CHECK(thread_self() == 0, "threads: main is thread 0");
	CHECK(thread_newthread(busy, 8192, (char *)&one, 1) &&
	      thread_newthread(busy, 8192, (char *)&two, 2),
	      "threads: two threads start");
	CHECK(ntrace == 0, "threads: a new thread waits until main blocks");
	sema_down(&sem);
	sema_down(&sem);
	for (int i = 0; i < 4; i += 2)
		ok &= trace[i] == trace[i + 1];
	CHECK(ntrace == 4 && ok, "threads: no switch inside a thread's run "
	      "(non-preemptive)");
	mu_init(&mu);
	thread_newthread(locker, 0, NULL, 0);
	thread_newthread(locker, 0, NULL, 0);
	sema_down(&sem);
	sema_down(&sem);
	CHECK(!overlap && in_section == 0, "threads: mutex excludes");
	mu_lock(&mu);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(mu_trylock(&mu, 100) == -1, "mutex: trylock of a held mutex "
	      "fails");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	      1000000 >= 100, "mutex: ... after its time");
	CHECK(mu_trylock(&mu, 0) == -1, "mutex: trylock(0) does not wait");
	mu_unlock(&mu);
	CHECK(mu_trylock(&mu, 0) == 0, "mutex: trylock of a free mutex");
	mu_unlock(&mu);
	CHECK(sema_trydown(&sem, 50) == -1 && sema_level(&sem) == 0,
	      "semaphore: trydown at level 0 times out");
	sema_mup(&sem, 3);
	sema_mdown(&sem, 2);
	CHECK(sema_level(&sem) == 1, "semaphore: mup 3, mdown 2 leaves 1");
	sema_down(&sem);
	sema_init(&alive, 0);
	thread_newthread(allocator, 0, (char *)&z0, 0);
	thread_newthread(allocator, 0, (char *)&z1, 0);
	sema_down(&sem);
	sema_down(&sem);
	CHECK(blocks[0] && blocks[1] && blocks[0] != blocks[1] &&
	      alloc_id > 0, "thread_alloc: one block per thread, stable");
	sema_mup(&alive, 2);
}

/* ---- sleeping and yielding ------------------------------------------------ */

static int ran;

static void
runner(char *param, int psize)
{
	(void)param;
	(void)psize;
	__atomic_add_fetch(&ran, 1, __ATOMIC_RELEASE);	/* read after amunix_leave */
}

static void
test_sys(void)
{
	unsigned long m0 = sys_milli();
	unsigned long long u0, u1;

	ran = 0;
	thread_newthread(runner, 0, NULL, 0);
	sys_micro(&u0);
	CHECK(sys_sleep(50) == STD_OK, "sys_sleep: STD_OK");
	sys_micro(&u1);
	CHECK(sys_milli() - m0 >= 50 && u1 - u0 >= 50000,
	      "sys_sleep(50): at least 50 ms by both clocks");
	for (int i = 0; i < 100 && ran == 0; i++)	/* at most 5 s */
		sys_sleep(50);
	CHECK(ran == 1, "sys_sleep: another thread runs meanwhile");
	thread_newthread(runner, 0, NULL, 0);
	CHECK(ran == 1, "threadswitch: nothing runs before it");
	m0 = sys_milli();
	while (ran == 1 && sys_milli() - m0 < 5000)
		threadswitch();
	CHECK(ran == 2, "threadswitch: lets a ready thread run");
	thread_newthread(runner, 0, NULL, 0);
	amunix_leave();			/* as around a blocking read() */
	m0 = sys_milli();
	while (__atomic_load_n(&ran, __ATOMIC_ACQUIRE) == 2 &&
	       sys_milli() - m0 < 5000)
		sched_yield();
	amunix_enter();
	CHECK(ran == 3, "amunix_leave: other threads run until amunix_enter");
}

/* ---- RPC inside the process ---------------------------------------------- */

#define MAXDATA (1024 * 1024)
static port get_port, put_port;

static void
echo(char *param, int psize)
{
	char *buf = malloc(MAXDATA);
	header h;
	int32 n;

	(void)param;
	(void)psize;
	for (;;) {
		h.h_port = get_port;
		n = rpc_getreq(&h, buf, MAXDATA);
		if (n < 0)
			continue;
		h.h_offset++;
		h.h_status = STD_OK;
		rpc_putrep(&h, buf, n);
	}
}

static void
test_rpc(void)
{
	char *out = malloc(MAXDATA), *in = malloc(MAXDATA);
	static const int32 sizes[] = { 0, 1, 1500, 30000, MAXDATA };
	port p1, p2, nobody_get, nobody;
	struct timespec t0, t1;
	int ok = 1;
	header h;
	int32 n;

	uniqport(&p1);
	uniqport(&p2);
	CHECK(!NULLPORT(&p1) && !PORTCMP(&p1, &p2), "uniqport: fresh ports");
	uniqport(&get_port);
	priv2pub(&get_port, &put_port);
	for (int32 i = 0; i < MAXDATA; i++)
		out[i] = (char)(i * 7 + (i >> 10));
	thread_newthread(echo, 0, NULL, 0);
	thread_newthread(echo, 0, NULL, 0);
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		memset(&h, 0, sizeof(h));
		h.h_port = put_port;
		h.h_offset = (int32)k;
		n = rpc_trans(&h, out, sizes[k], &h, in, MAXDATA);
		ok &= n == sizes[k] && h.h_offset == (int32)k + 1 &&
		      memcmp(in, out, (size_t)sizes[k]) == 0;
	}
	CHECK(ok, "rpc: 0 B .. 1 MiB echoed between threads of a process");
	memset(&h, 0, sizeof(h));
	h.h_port = put_port;
	CHECK(trans(&h, out, 30000, &h, in, 30000) == 30000,
	      "rpc: trans with 30000 bytes");
	CHECK(ERR_CONVERT(trans(&h, out, 30001, &h, in, 30000)) == STD_ARGBAD,
	      "rpc: trans with 30001 bytes is refused");
	memset(&h, 0, sizeof(h));
	CHECK(rpc_trans(&h, NULL, 0, &h, NULL, 0) == RPC_BADPORT,
	      "rpc: the null port is RPC_BADPORT");
	uniqport(&nobody_get);
	priv2pub(&nobody_get, &nobody);
	timeout(300);
	CHECK(timeout(300) == 300, "timeout: returns the old budget");
	h.h_port = nobody;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(n == RPC_NOTFOUND, "rpc: an unserved port is RPC_NOTFOUND");
	CHECK(t1.tv_sec - t0.tv_sec < 10, "rpc: ... within the budget");
	free(out);
	free(in);
}

/* ---- signals ------------------------------------------------------------- */

#define HOLD	2		/* h_command: hold the request until SIG_TRANS */

static int ncaught;
static signum last_sig;
static void *last_extra;

static void
catcher(signum sig, thread_ustate *us, void *extra)
{
	(void)us;
	ncaught++;
	last_sig = sig;
	last_extra = extra;
}

static semaphore got_req, done_sem;
static port sig_get, sig_put;
static int32 getreq_result;
static signum thread_sig;
static int thread_caught, trans_status, trans_extra;

/* Catches thread_sig, then waits in getreq until it comes. */
static void
getreq_thread(char *param, int psize)
{
	header h;

	(void)param;
	(void)psize;
	sig_catch(thread_sig, catcher, NULL);
	memset(&h, 0, sizeof(h));
	h.h_port = sig_get;
	sema_up(&got_req);
	getreq_result = rpc_getreq(&h, NULL, 0);
	thread_caught = ncaught;
	sema_up(&done_sem);
}

static void
opener(signum sig, thread_ustate *us, void *extra)
{
	(void)sig;
	(void)us;
	ncaught++;
	sema_up(extra);
}

/*
 * Serves requests on gp; a HOLD request waits (at most 10 s) for
 * SIG_TRANS, whose catcher opens its gate: h_extra = 1 if it came.
 */
static void
hold_server(port *gp)
{
	semaphore mygate;
	header h;
	int32 n;

	sema_init(&mygate, 0);
	sig_catch(SIG_TRANS, opener, &mygate);
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = *gp;
		n = rpc_getreq(&h, NULL, 0);
		if (n < 0)
			continue;
		h.h_extra = 0;
		if (h.h_command == HOLD) {
			if (gp == &sig_get)
				sema_up(&got_req);
			h.h_extra = sema_trydown(&mygate, 10000) == 0;
		}
		h.h_status = STD_OK;
		rpc_putrep(&h, NULL, 0);
	}
}

static void
hold_thread(char *param, int psize)
{
	(void)psize;
	hold_server((port *)param);
}

/* Catches thread_sig and does a HOLD trans to pp. */
static void
client_thread(char *param, int psize)
{
	header h;

	(void)psize;
	sig_catch(thread_sig, catcher, NULL);
	memset(&h, 0, sizeof(h));
	h.h_port = *(port *)param;
	h.h_command = HOLD;
	trans_status = (int)rpc_trans(&h, NULL, 0, &h, NULL, 0);
	trans_extra = h.h_extra;
	thread_caught = ncaught;
	sema_up(&done_sem);
}

static void
test_signals(void)
{
	signum s1 = sig_uniq(), s2 = sig_uniq();
	int x;

	CHECK(s1 >= 0x10000 && s2 > s1, "signals: sig_uniq gives fresh numbers");
	CHECK(sig_catch(EXC_NONE, catcher, NULL) == STD_ARGBAD,
	      "signals: catching EXC_NONE is refused");
	CHECK(sig_catch(s1, catcher, &x) == STD_OK, "signals: sig_catch");
	ncaught = 0;
	sig_raise(s1);
	CHECK(ncaught == 1 && last_sig == s1 && last_extra == &x,
	      "signals: sig_raise runs the caller's catcher with sig, extra");
	sig_raise(s2);
	CHECK(ncaught == 1, "signals: a signal nobody catches is dropped");
	sig_block();
	sig_raise(s1);
	CHECK(ncaught == 1, "signals: sig_block holds delivery back");
	sig_unblock();
	CHECK(ncaught == 2, "signals: ... and sig_unblock delivers it");
	sig_catch(s1, NULL, NULL);
	sig_raise(s1);
	CHECK(ncaught == 2, "signals: sig_catch(NULL) stops catching");

	/* a thread in getreq: RPC_ABORTED, its catcher runs */
	sema_init(&got_req, 0);
	sema_init(&done_sem, 0);
	uniqport(&sig_get);
	priv2pub(&sig_get, &sig_put);
	thread_sig = sig_uniq();
	ncaught = 0;
	thread_newthread(getreq_thread, 0, NULL, 0);
	sema_down(&got_req);		/* it runs until it blocks in getreq */
	sig_raise(thread_sig);
	CHECK(sema_trydown(&done_sem, 10000) == 0 &&
	      getreq_result == RPC_ABORTED && thread_caught == 1,
	      "signals: a signalled getreq ends with RPC_ABORTED after the "
	      "thread's catcher ran");

	/* SIG_TRANS to a server thread of the same process */
	thread_newthread(hold_thread, 0, (char *)&sig_get, 0);
	ncaught = 0;
	thread_sig = sig_uniq();
	thread_newthread(client_thread, 0, (char *)&sig_put, 0);
	sema_down(&got_req);		/* the server holds the request */
	sig_raise(thread_sig);
	CHECK(sema_trydown(&done_sem, 10000) == 0 && trans_status == 0 &&
	      trans_extra == 1 && thread_caught >= 1,
	      "signals: a signalled trans gives its local server SIG_TRANS "
	      "(caught while it waits on a semaphore), then gets the reply");
}

/* ---- a second process over unix:DIR -------------------------------------- */

static port child_get, child_put;
static char unixdir[] = "/tmp/amunix-test-XXXXXX";
static pid_t child;
static char net_spec[64];		/* unix:DIR */

/* The child: an echo server (two threads) and a hold server on the
 * network; the test's parent kills it. */
static void
child_main(void)
{
	static port hold_get;

	hold_get = child_get;
	hold_get._portbytes[0] ^= 0x55;
	if (amunix_attach(net_spec) != 0)
		_exit(3);
	get_port = child_get;
	thread_newthread(echo, 0, NULL, 0);
	thread_newthread(echo, 0, NULL, 0);
	thread_newthread(hold_thread, 0, (char *)&hold_get, 0);
	thread_exit();
}

static void
start_child(void)
{
	if (mkdtemp(unixdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(net_spec, sizeof(net_spec), "unix:%s", unixdir);
	uniqport(&child_get);
	priv2pub(&child_get, &child_put);
	child = fork();
	if (child == 0)
		child_main();
}

static void
test_unixnet(void)
{
	char *out = malloc(MAXDATA), *in = malloc(MAXDATA);
	static const int32 sizes[] = { 0, 1, 1459, 30000, MAXDATA };
	port hold_get, hold_put;
	int ok = 1, once = 1;
	header h;
	int32 n;

	CHECK(amunix_attach(net_spec) == 0, "unix: attach the network");
	timeout(10000);
	for (int32 i = 0; i < MAXDATA; i++)
		out[i] = (char)(i * 13 + (i >> 12));
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		memset(&h, 0, sizeof(h));
		h.h_port = child_put;
		h.h_offset = (int32)k;
		n = rpc_trans(&h, out, sizes[k], &h, in, MAXDATA);
		ok &= n == sizes[k] && h.h_offset == (int32)k + 1 &&
		      memcmp(in, out, (size_t)sizes[k]) == 0;
	}
	CHECK(ok, "unix: 0 B .. 1 MiB echoed by another process");
	for (int i = 0; i < 500; i++) {
		memset(&h, 0, sizeof(h));
		h.h_port = child_put;
		h.h_offset = i;
		once &= rpc_trans(&h, NULL, 0, &h, NULL, 0) == 0 &&
			h.h_offset == i + 1;
	}
	CHECK(once, "unix: 500 null transactions, each replied");

	/* SIG_TRANS over the network: the signal is raised until the
	 * client's trans ends (the request may not have reached the
	 * server at the first one); bounded by the server's 10 s hold */
	hold_get = child_get;
	hold_get._portbytes[0] ^= 0x55;
	priv2pub(&hold_get, &hold_put);
	memset(&h, 0, sizeof(h));
	h.h_port = hold_put;
	CHECK(rpc_trans(&h, NULL, 0, &h, NULL, 0) == 0 && h.h_extra == 0,
	      "unix: the hold server answers a plain request");
	sema_init(&done_sem, 0);
	ncaught = 0;
	thread_sig = sig_uniq();
	thread_newthread(client_thread, 0, (char *)&hold_put, 0);
	for (int i = 0; i < 100 && sema_trydown(&done_sem, 100) != 0; i++)
		sig_raise(thread_sig);
	CHECK(trans_status == 0 && trans_extra == 1 && thread_caught >= 1,
	      "unix: a signalled trans gives the server in the other "
	      "process SIG_TRANS (ENQUIRE with the SIGTRANS flag)");
	free(out);
	free(in);
}

static void
stop_child(void)
{
	char path[sizeof(unixdir) + 20];
	int st;

	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	snprintf(path, sizeof(path), "rm -rf %s", unixdir);
	if (system(path) != 0)
		fprintf(stderr, "cannot remove %s\n", unixdir);
}

int
main(void)
{
	start_child();		/* before any thread: fork */
	test_port();
	test_threads();
	test_sys();
	test_rpc();
	test_signals();
	test_unixnet();
	stop_child();
	return TEST_DONE();
}
