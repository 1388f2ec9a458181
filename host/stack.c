/*
 * stack.c - the FLIP/RPC stack linked into each libamunix process: one
 * FLIP switch, one RPC node (its own kernel id), one process address,
 * the group layer (grp.c), a ticker thread driving the protocols'
 * timers every 10 ms, and the networks (links) frames come and go
 * through.  No thread of its own reads them: the threads asleep in the
 * stack do, or the ticker when none does (wait.c).  A call object per
 * Amoeba thread, made on its first RPC.
 *
 * Entry points: amu_stack, amu_call, amu_call_end, amu_link_start,
 * amu_link_input, amunix_attach.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <amunix.h>
#include <stderr.h>

#include "flip/flip_port.h"
#include "host/amunix_impl.h"

#define TICK_MS		10	/* the protocols' timer period */
#define LINK_NRCV	32	/* receive buffers we announce (credits) */

struct flip_switch amu_sw;
struct rpc_node amu_rpc;
struct rpc_proc amu_proc;
struct grp_node amu_grp;

static pthread_once_t stack_once = PTHREAD_ONCE_INIT;
static int stack_ok;
struct amu_link amu_links[AMU_NLINK];
int amu_nlinks;

static void *
ticker(void *arg)
{
	struct timespec next, now;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_nsec += TICK_MS * 1000000L;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec + 1)	/* stopped: no catch-up */
			next = now;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		pthread_mutex_lock(&amu_net);
		flip_tick(&amu_sw);
		rpc_tick(&amu_rpc);
		grp_tick(&amu_grp);
		amu_drain();
		pthread_mutex_unlock(&amu_net);
	}
	return NULL;
}

static int attach(const char *spec);

/* Attach each network of $VX_NET (comma-separated specs). */
static void
attach_env(void)
{
	const char *env = getenv("VX_NET");
	char *copy, *spec, *save = NULL;

	if (env == NULL || *env == 0)
		return;
	copy = strdup(env);
	for (spec = strtok_r(copy, ",", &save); spec != NULL;
	     spec = strtok_r(NULL, ",", &save))
		(void)attach(spec);
	free(copy);
}

static void
stack_init(void)
{
	pthread_attr_t a;
	pthread_t tid;

	flip_sw_init(&amu_sw, 0);
	if (amu_wait_init() != 0) {
		fprintf(stderr, "amunix: cannot make an eventfd\n");
		return;
	}
	if (rpc_node_init(&amu_rpc, &amu_sw) != STD_OK ||
	    rpc_proc_init(&amu_rpc, &amu_proc) != STD_OK ||
	    grp_node_init(&amu_grp, &amu_sw) != STD_OK) {
		fprintf(stderr, "amunix: cannot start the RPC and group "
			"layers\n");
		return;
	}
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &a, ticker, NULL) != 0) {
		fprintf(stderr, "amunix: cannot start the ticker\n");
		pthread_attr_destroy(&a);
		return;
	}
	pthread_attr_destroy(&a);
	stack_ok = 1;
	attach_env();
}

int
amu_stack(void)
{
	pthread_once(&stack_once, stack_init);
	return stack_ok ? 0 : -1;
}

struct rpc_call *
amu_call(struct amu_thread *t)
{
	struct rpc_call *c;

	if (t->call != NULL)
		return t->call;
	if (amu_stack() != 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	pthread_mutex_lock(&amu_net);
	if (rpc_call_init(&amu_proc, c) != STD_OK) {
		pthread_mutex_unlock(&amu_net);
		free(c);
		return NULL;
	}
	t->call = c;
	pthread_mutex_unlock(&amu_net);
	return c;
}

void
amu_call_end(struct amu_thread *t)
{
	if (t->call == NULL)
		return;
	pthread_mutex_lock(&amu_net);
	rpc_call_fini(t->call);
	free(t->call);
	t->call = NULL;
	pthread_mutex_unlock(&amu_net);
}

/* ---- links -------------------------------------------------------------- */

static void
link_send(void *drv, const uint8_t *frame, size_t len)
{
	struct amu_link *l = drv;

	if (l->send(l, frame, len) != 0)
		l->tx_errors++;
	else
		l->tx_frames++;
}

static const struct flip_netops link_ops = {
	.send = link_send,
};

/* Ours: FLIP's ethertype, sent to our MAC or to a group (broadcast). */
static int
for_us(const struct amu_link *l, const uint8_t *f, long n)
{
	if (n < 14 || f[12] != 0x81 || f[13] != 0x46)
		return 0;
	return (f[0] & 1) || memcmp(f, l->mac, 6) == 0;
}

/* Caller holds amu_net. */
void
amu_link_input(struct amu_link *l, const uint8_t *f, long n)
{
	if (!for_us(l, f, n))
		return;
	l->rx_frames++;
	flip_net_input(&amu_sw, l->ntw, f, (size_t)n);
}

/* Caller holds amu_net. */
int
amu_link_start(struct amu_link *l)
{
	l->ntw = flip_net_attach(&amu_sw, &link_ops, l, l->mac,
				 FLIP_ETH_WEIGHT, 1, LINK_NRCV);
	return l->ntw < 0 ? -1 : 0;
}

/* A random locally administered unicast MAC. */
static void
random_mac(uint8_t mac[6])
{
	flip_port_random(mac, 6);
	mac[0] = (uint8_t)((mac[0] & 0xFC) | 0x02);
}

/* Open and attach one network; the stack is up. */
static int
attach(const char *spec)
{
	struct amu_link *l;
	int r;

	pthread_mutex_lock(&amu_net);
	if (amu_nlinks == AMU_NLINK) {
		pthread_mutex_unlock(&amu_net);
		fprintf(stderr, "amunix: too many networks\n");
		return -1;
	}
	l = &amu_links[amu_nlinks];
	memset(l, 0, sizeof(*l));
	random_mac(l->mac);
	if (strncmp(spec, "vde:", 4) == 0) {
		r = amu_vde_open(l, spec + 4);
	} else if (strncmp(spec, "tap:", 4) == 0) {
		r = amu_tap_open(l, spec + 4);
	} else if (strncmp(spec, "unix:", 5) == 0) {
		r = amu_unix_open(l, spec + 5);
	} else {
		fprintf(stderr, "amunix: network '%s': want vde:PATH, "
			"tap:NAME or unix:DIR\n", spec);
		r = -1;
	}
	if (r == 0 && amu_link_start(l) != 0) {
		fprintf(stderr, "amunix: cannot attach %s\n", spec);
		l->close(l);
		r = -1;
	}
	if (r == 0) {
		amu_nlinks++;
		amu_links_changed();
	}
	pthread_mutex_unlock(&amu_net);
	return r;
}

int
amunix_attach(const char *spec)
{
	if (spec == NULL || amu_stack() != 0)
		return -1;
	return attach(spec);
}
