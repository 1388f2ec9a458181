/*
 * main.c - ctlsvr, the controller server of the controller node: it
 * samples a tank's level and valve through the serial driver (ctlser)
 * at a fixed period and serves the readings, the valve and the band
 * (set-points) by RPC with capability rights (ctl.h).
 *
 *   ctlsvr [-p period_ms] [-b low high] [-d driver_path] [path]
 *
 * path (default /home/ctl) receives the capability with every right;
 * path.ro the same object with CTL_RGT_READ only, for observers.  The
 * driver's capability is read from driver_path (default /home/ctlser),
 * where each run of the driver enters itself; when a call to it fails
 * it is looked up again, so a restarted driver is found without help.
 * Levels and the band are in centi-units; -b takes them as units
 * (default 40 60).
 *
 * Threads: the main thread serves requests; the sampler thread asks the
 * driver for the level and the valve every period and stores the
 * reading.  st_mu protects the state (struct state); drv_mu serialises
 * the calls to the driver and protects its capability.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <thread.h>
#include <module/mutex.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>

#include "ctl.h"

#define REQMAX		64
#define REPMAX		1024
#define SAMPLER_STACK	16384
#define DRV_TIMEOUT	1000	/* ms for a locate of the driver */
#define DRV_RETRY	1000	/* ms between lookups of a lost driver */
#define STALE_PERIODS	20	/* a reading older than this many periods */
#define STALE_SLACK	1000	/* plus this many ms is not served */

struct state {
	struct ctl_reading r;	/* the latest good reading */
	errstat last;		/* result of the latest sample */
	int driver_up;		/* the latest driver call answered */
	unsigned long samples, failures, requests, denied;
};

static struct state st;		/* st_mu */
static mutex st_mu;
static capability drv;		/* drv_mu; null port: look it up */
static unsigned long drv_lost;	/* drv_mu; when a call to it failed */
static mutex drv_mu;
static const char *drv_path = "/home/ctlser";
static long period = 50;
static port getport, checkfield;
static capability self;

/* Is the driver's capability known (looked up now if its time has
 * come)?  Caller must hold drv_mu. */
static int
drv_find(void)
{
	if (!NULLPORT(&drv.cap_port))
		return 1;
	if (drv_lost != 0 && (long)(sys_milli() - drv_lost) < DRV_RETRY)
		return 0;
	if (name_lookup((char *)drv_path, &drv) == STD_OK)
		return 1;
	memset(&drv, 0, sizeof(drv));
	drv_lost = sys_milli();
	return 0;
}

/*
 * One line to the driver and its answer into ans (NUL-ended).
 * STD_NOTNOW when the driver cannot be reached or the device did not
 * answer.  After a failed call the driver's capability is looked up
 * again, at most once every DRV_RETRY ms (a restarted driver enters its
 * new one), so a driver that is gone costs the directory server one
 * lookup a second, not one per sample.
 */
static errstat
drv_line(const char *cmd, char *ans, int max)
{
	header h;
	int32 n;

	mu_lock(&drv_mu);
	if (!drv_find()) {
		mu_unlock(&drv_mu);
		return STD_NOTNOW;
	}
	memset(&h, 0, sizeof(h));
	h.h_port = drv.cap_port;
	h.h_priv = drv.cap_priv;
	h.h_command = CTLSER_LINE;
	timeout(DRV_TIMEOUT);
	n = rpc_trans(&h, (bufptr)cmd, (f_size_t)strlen(cmd), &h, ans,
		      max - 1);
	if (n < 0 || h.h_status != STD_OK) {
		if (n < 0) {
			memset(&drv, 0, sizeof(drv));
			drv_lost = sys_milli();
		}
		mu_unlock(&drv_mu);
		return STD_NOTNOW;
	}
	mu_unlock(&drv_mu);
	ans[n] = 0;
	return STD_OK;
}

/* "L 52.31" -> 5231; -1 if the answer is not a level. */
static int32_t
parse_level(const char *s)
{
	long whole = 0, frac = 0;
	int digits = 0;

	if (s[0] != 'L' || s[1] != ' ')
		return -1;
	for (s += 2; *s >= '0' && *s <= '9'; s++)
		if ((whole = whole * 10 + (*s - '0')) > 100)
			return -1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (digits++ < 2)
				frac = frac * 10 + (*s - '0');
	if (digits == 1)
		frac *= 10;
	if (*s != 0 || whole * 100 + frac > 10000)
		return -1;
	return (int32_t)(whole * 100 + frac);
}

/* Note a change of the driver's state in the log. */
static void
driver_state(int up, errstat err)
{
	if (up == st.driver_up)
		return;
	st.driver_up = up;
	if (up)
		printf("ctlsvr: driver answers again\n");
	else
		printf("ctlsvr: driver gone (%s)\n", err_why(err));
	fflush(stdout);
}

/* One sample: the level and the valve, stored as the latest reading. */
static void
sample(void)
{
	char lv[CTLSER_LINEMAX + 1], vv[CTLSER_LINEMAX + 1];
	errstat err;
	int32_t level = -1;

	err = drv_line("L?", lv, sizeof(lv));
	if (err == STD_OK)
		err = drv_line("V?", vv, sizeof(vv));
	if (err == STD_OK && ((level = parse_level(lv)) < 0 ||
			      (strcmp(vv, "V 0") != 0 && strcmp(vv, "V 1") != 0)))
		err = STD_SYSERR;
	mu_lock(&st_mu);
	st.last = err;
	if (err == STD_OK) {
		st.r.seq++;
		st.r.time = (uint32_t)sys_milli();
		st.r.level = level;
		st.r.valve = vv[2] - '0';
		st.samples++;
	} else {
		st.failures++;
	}
	driver_state(err == STD_OK, err);
	mu_unlock(&st_mu);
}

/* The sampler thread: one sample every period ms of the node's clock. */
static void
sampler(char *param, int psize)
{
	unsigned long next = sys_milli();

	(void)param;
	(void)psize;
	for (;;) {
		sample();
		next += (unsigned long)period;
		long left = (long)(next - sys_milli());
		if (left < 0) {		/* late: do not try to catch up */
			next = sys_milli();
			left = 0;
		}
		sys_sleep(left > 0 ? left : 1);
	}
}

/* The rights of the request's capability; STD_CAPBAD if forged. */
static errstat
rights_of(header *h, rights_bits *rights)
{
	if (prv_number(&h->h_priv) != 0 ||
	    prv_decode(&h->h_priv, rights, &checkfield) != 0)
		return STD_CAPBAD;
	return STD_OK;
}

static errstat
need(header *h, rights_bits want)
{
	rights_bits rights;
	errstat err = rights_of(h, &rights);

	if (err != STD_OK)
		return err;
	if ((rights & want) != want) {
		mu_lock(&st_mu);
		st.denied++;
		mu_unlock(&st_mu);
		return STD_DENIED;
	}
	return STD_OK;
}

static errstat
do_read(header *h, char *rep, int32 *n)
{
	errstat err = need(h, CTL_RGT_READ);
	struct ctl_reading r;

	if (err != STD_OK)
		return err;
	mu_lock(&st_mu);
	r = st.r;
	err = st.r.seq == 0 && st.last == STD_OK ? STD_NOTNOW : st.last;
	mu_unlock(&st_mu);
	r.age = (uint32_t)(sys_milli() - r.time);
	if (err != STD_OK || r.age > (uint32_t)(STALE_PERIODS * period +
						  STALE_SLACK))
		return STD_NOTNOW;	/* the sampler is stuck on the driver */
	*n = (int32)(ctl_reading_put(rep, rep + CTL_READING_SIZE, &r) - rep);
	return STD_OK;
}

static errstat
do_valve(header *h)
{
	char cmd[8], ans[CTLSER_LINEMAX + 1];
	errstat err = need(h, CTL_RGT_CONTROL);

	if (err != STD_OK)
		return err;
	if (h->h_extra > 1)
		return STD_ARGBAD;
	snprintf(cmd, sizeof(cmd), "V %d", h->h_extra);
	if ((err = drv_line(cmd, ans, sizeof(ans))) != STD_OK)
		return err;
	if (strcmp(ans, cmd) != 0)
		return STD_SYSERR;
	mu_lock(&st_mu);
	st.r.valve = h->h_extra;
	mu_unlock(&st_mu);
	return STD_OK;
}

static errstat
do_band(header *h)
{
	errstat err = need(h, CTL_RGT_CONTROL);
	int32 low = h->h_offset, high = (int32)h->h_size;

	if (err != STD_OK)
		return err;
	if (low < 0 || high > 10000 || low >= high)
		return STD_ARGBAD;
	mu_lock(&st_mu);
	st.r.low = low;
	st.r.high = high;
	mu_unlock(&st_mu);
	printf("ctlsvr: band %ld.%02ld .. %ld.%02ld\n", (long)low / 100,
	       (long)low % 100, (long)high / 100, (long)high % 100);
	fflush(stdout);
	return STD_OK;
}

static errstat
do_status(header *h, char *rep, int32 *n)
{
	errstat err = need(h, CTL_RGT_READ);
	struct state s;

	if (err != STD_OK)
		return err;
	mu_lock(&st_mu);
	s = st;
	mu_unlock(&st_mu);
	*n = snprintf(rep, REPMAX,
		      "level %ld.%02ld valve %ld seq %lu time %lu ms\n"
		      "band %ld.%02ld .. %ld.%02ld period %ld ms\n"
		      "driver %s (%s) samples %lu failures %lu\n"
		      "requests %lu denied %lu\n",
		      (long)s.r.level / 100, (long)s.r.level % 100,
		      (long)s.r.valve, (unsigned long)s.r.seq,
		      (unsigned long)s.r.time, (long)s.r.low / 100,
		      (long)s.r.low % 100, (long)s.r.high / 100,
		      (long)s.r.high % 100, period,
		      s.driver_up ? "up" : "down", err_why(s.last), s.samples,
		      s.failures, s.requests, s.denied);
	if (*n >= REPMAX)
		*n = REPMAX - 1;
	return STD_OK;
}

static errstat
do_info(header *h, char *rep, int32 *n)
{
	rights_bits rights;
	errstat err = rights_of(h, &rights);

	if (err != STD_OK)
		return err;
	*n = snprintf(rep, REPMAX, "tank controller (level, valve; rights "
		      "%s%s)", rights & CTL_RGT_READ ? "r" : "-",
		      rights & CTL_RGT_CONTROL ? "c" : "-");
	return STD_OK;
}

/* Handle one request; the reply's size in *n. */
static errstat
dispatch(header *h, char *rep, int32 *n)
{
	errstat err;

	*n = 0;
	switch (h->h_command) {
	case CTL_READ:		return do_read(h, rep, n);
	case CTL_VALVE:		return do_valve(h);
	case CTL_BAND:		return do_band(h);
	case STD_INFO:		return do_info(h, rep, n);
	case STD_STATUS:	return do_status(h, rep, n);
	case STD_RESTRICT:
		err = prv_restrict_server(&h->h_priv, h->h_offset, &checkfield,
					  &h->h_priv);
		h->h_port = self.cap_port;
		return err;
	default:		return STD_COMBAD;
	}
}

static void __attribute__((noreturn))
serve(void)
{
	static char req[REQMAX], rep[REPMAX];
	header h;
	int32 n;

	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_port = getport;
		if (rpc_getreq(&h, req, sizeof(req)) < 0)
			continue;
		mu_lock(&st_mu);
		st.requests++;
		mu_unlock(&st_mu);
		h.h_status = dispatch(&h, rep, &n);
		if (h.h_status != STD_OK)
			n = 0;
		h.h_size = (bufsize)n;
		rpc_putrep(&h, rep, (f_size_t)n);
	}
}

/* Enter cap as path (replacing an older entry of an earlier run). */
static void
publish(const char *path, capability *cap)
{
	errstat err = name_replace((char *)path, cap);

	if (err != STD_OK)
		err = name_append((char *)path, cap);
	if (err != STD_OK) {
		printf("ctlsvr: cannot enter %s (%s)\n", path, err_why(err));
		exit(1);
	}
}

static void
usage(void)
{
	printf("usage: ctlsvr [-p period_ms] [-b low high] [-d driver_path] "
	       "[path]\n");
	exit(2);
}

/* A level in units ("40", "40.5") as centi-units; -1 if bad. */
static int32_t
units(const char *s)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "L %s", s);
	return parse_level(buf);
}

static const char *
options(int argc, char **argv)
{
	int i;

	st.r.low = 4000;
	st.r.high = 6000;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			period = atol(argv[++i]);
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			drv_path = argv[++i];
		} else if (strcmp(argv[i], "-b") == 0 && i + 2 < argc) {
			st.r.low = units(argv[++i]);
			st.r.high = units(argv[++i]);
		} else {
			usage();
		}
	}
	if (i + 1 < argc || period < 1 || period > 60000 || st.r.low < 0 ||
	    st.r.high < 0 || st.r.low >= st.r.high)
		usage();
	return i < argc ? argv[i] : "/home/ctl";
}

int
main(int argc, char **argv)
{
	const char *path = options(argc, argv);
	char ropath[128];
	capability ro;

	uniqport(&getport);
	uniqport(&checkfield);
	priv2pub(&getport, &self.cap_port);
	prv_encode(&self.cap_priv, 0, PRV_ALL_RIGHTS, &checkfield);
	ro = self;
	prv_encode(&ro.cap_priv, 0, CTL_RGT_READ, &checkfield);
	snprintf(ropath, sizeof(ropath), "%s.ro", path);
	publish(path, &self);
	publish(ropath, &ro);
	st.driver_up = 1;	/* so that a first failure is logged */
	if (!thread_newthread(sampler, SAMPLER_STACK, NULL, 0)) {
		printf("ctlsvr: cannot start the sampler thread\n");
		return 1;
	}
	printf("ctlsvr: serving as %s and %s (period %ld ms)\n", path, ropath,
	       period);
	fflush(stdout);
	serve();
}
