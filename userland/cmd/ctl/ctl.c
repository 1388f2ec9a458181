/*
 * ctl.c - the controller node's client: one reading, the valve, the
 * band, the control program that closes the loop over the network, and
 * the logger (the controller server's protocol is in ctl.h).
 *
 *   ctl read [path]                    one reading
 *   ctl status [path]                  the server's std_status text
 *   ctl valve 0|1 [path]               close / open the valve
 *   ctl band LOW HIGH [path]           set the band (units, e.g. 40 60)
 *   ctl loop [-n samples] [-p ms] [path]
 *   ctl log [-n rows] [-p ms] [path]
 *
 * path is the controller server's capability (default /home/ctl; the
 * server enters /home/ctl.ro with the read right only, for observers).
 *
 * loop keeps the level inside the band with hysteresis: it opens the
 * valve when the level rises above the upper switch point (a quarter of
 * the band below its top) and closes it below the lower one (a quarter
 * above its bottom); it polls every -p ms (default 40) and ends after
 * -n new samples (default 600; 0 = never), printing one line per valve
 * change and per loss or return of the readings.
 *
 * log prints a header and then one row every -p ms (default 500) of its
 * own node's clock, -n rows (default 20; 0 = never): the row number, its
 * time since the start (ms), the reading's time on the controller node,
 * level, valve and sample number, or the error of that period.
 *
 * Exit status: 0; 1 when the server refused or failed (its reason in a
 * message: "operation denied" for a capability without the right, "not
 * now" for a controller whose sensor driver is gone); 2 for usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stdcom.h>
#include <stderr.h>
#include <module/name.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>

#include "../../servers/ctlsvr/ctl.h"

#define DEF_PATH	"/home/ctl"
#define CALL_TIMEOUT	2000	/* ms for a locate of the server */

static capability srv;

static void
usage(void)
{
	printf("usage: ctl read|status [path] | ctl valve 0|1 [path] | "
	       "ctl band LOW HIGH [path]\n"
	       "       ctl loop [-n samples] [-p ms] [path] | "
	       "ctl log [-n rows] [-p ms] [path]\n");
	exit(2);
}

/* The reason of err for a person. */
static const char *
why(errstat err)
{
	if (err == STD_NOTNOW)
		return "not now: the controller's sensor driver is unavailable";
	return err_why(err);
}

static errstat
call(int cmd, int32 offset, int32 size, int extra, char *rep, int max,
     int32 *n)
{
	header h;
	int32 r;

	memset(&h, 0, sizeof(h));
	h.h_port = srv.cap_port;
	h.h_priv = srv.cap_priv;
	h.h_command = (command)cmd;
	h.h_offset = offset;
	h.h_size = (bufsize)size;
	h.h_extra = (uint16)extra;
	timeout(CALL_TIMEOUT);
	r = rpc_trans(&h, NILBUF, 0, &h, rep, max);
	if (r < 0)
		return r;
	if (n != NULL)
		*n = r;
	return ERR_CONVERT(h.h_status);
}

static errstat
ctl_read(struct ctl_reading *r)
{
	char rep[CTL_READING_SIZE];
	int32 n = 0;
	errstat err = call(CTL_READ, 0, CTL_READING_SIZE, 0, rep, sizeof(rep),
			   &n);

	if (err != STD_OK)
		return err;
	if (n != CTL_READING_SIZE ||
	    ctl_reading_get(rep, rep + n, r) == NULL)
		return STD_SYSERR;
	return STD_OK;
}

static errstat
ctl_valve(int open)
{
	return call(CTL_VALVE, 0, 0, open, NILBUF, 0, NULL);
}

/* A level in centi-units as text "52.31". */
static const char *
lvl(int32_t c, char *buf)
{
	sprintf(buf, "%ld.%02ld", (long)c / 100, (long)(c < 0 ? -c : c) % 100);
	return buf;
}

static void
open_server(const char *path)
{
	errstat err = name_lookup((char *)path, &srv);

	if (err != STD_OK) {
		printf("ctl: %s: %s\n", path, err_why(err));
		exit(1);
	}
}

/* Parse "-n N -p MS" into *n, *p; the index of the first other word. */
static int
opts(int argc, char **argv, int i, long *n, long *p)
{
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		char *end;
		long v = strtol(argv[i + 1], &end, 10);

		if (*end != 0 || v < 0)
			usage();
		if (strcmp(argv[i], "-n") == 0)
			*n = v;
		else if (strcmp(argv[i], "-p") == 0 && v > 0)
			*p = v;
		else
			usage();
	}
	if (i < argc && argv[i][0] == '-')
		usage();
	return i;
}

/* The loop's valve decision: 1 open, 0 close, -1 leave it. */
static int
decide(const struct ctl_reading *r)
{
	int32_t quarter = (r->high - r->low) / 4;

	if (r->valve == 0 && r->level > r->high - quarter)
		return 1;
	if (r->valve == 1 && r->level < r->low + quarter)
		return 0;
	return -1;
}

/* The loop's reaction to an error: report once per outage. */
static void
lost(const char *what, errstat err, int *down, unsigned long *errors)
{
	(*errors)++;
	if (!*down)
		printf("ctl loop: %s: %s\n", what, why(err));
	*down = 1;
	fflush(stdout);
}

static int
loop(long samples, long period)
{
	struct ctl_reading r;
	unsigned long seen = 0, changes = 0, errors = 0;
	uint32_t last = 0;
	int down = 0, v;
	char b[16];
	errstat err;

	printf("ctl loop: keeping the level in its band\n");
	fflush(stdout);
	while (samples == 0 || seen < (unsigned long)samples) {
		sys_sleep(period);
		if ((err = ctl_read(&r)) != STD_OK) {
			lost("read", err, &down, &errors);
			continue;
		}
		if (down)
			printf("ctl loop: readings again (seq %lu level %s)\n",
			       (unsigned long)r.seq, lvl(r.level, b));
		down = 0;
		if (r.seq == last)
			continue;
		seen++;
		last = r.seq;
		if ((v = decide(&r)) < 0)
			continue;
		if ((err = ctl_valve(v)) != STD_OK) {
			lost("valve", err, &down, &errors);
			continue;
		}
		changes++;
		printf("ctl loop: seq %lu level %s: valve %s\n",
		       (unsigned long)r.seq, lvl(r.level, b),
		       v ? "opened" : "closed");
		fflush(stdout);
	}
	printf("ctl loop: done: %lu samples, %lu valve changes, %lu errors\n",
	       seen, changes, errors);
	return 0;
}

static int
logger(long rows, long period)
{
	unsigned long t0 = sys_milli(), next = t0;
	struct ctl_reading r;
	char b[16];
	errstat err;

	printf("%5s %8s %10s %7s %5s %6s\n", "row", "time_ms", "ctl_ms",
	       "level", "valve", "seq");
	for (long i = 0; rows == 0 || i < rows; i++) {
		long left = (long)(next - sys_milli());

		if (left > 0)
			sys_sleep(left);
		err = ctl_read(&r);
		if (err == STD_OK)
			printf("%5ld %8lu %10lu %7s %5ld %6lu\n", i,
			       sys_milli() - t0, (unsigned long)r.time,
			       lvl(r.level, b), (long)r.valve,
			       (unsigned long)r.seq);
		else
			printf("%5ld %8lu error: %s\n", i, sys_milli() - t0,
			       why(err));
		fflush(stdout);
		next += (unsigned long)period;
	}
	return 0;
}

static int
one_reading(void)
{
	struct ctl_reading r;
	char b1[16], b2[16], b3[16];
	errstat err = ctl_read(&r);

	if (err != STD_OK) {
		printf("ctl: read: %s\n", why(err));
		return 1;
	}
	printf("seq %lu time %lu level %s valve %ld band %s .. %s age %lu\n",
	       (unsigned long)r.seq, (unsigned long)r.time, lvl(r.level, b1),
	       (long)r.valve, lvl(r.low, b2), lvl(r.high, b3),
	       (unsigned long)r.age);
	return 0;
}

static int
status(void)
{
	static char buf[1025];
	int len = 0;
	errstat err = std_status(&srv, buf, sizeof(buf) - 1, &len);

	if (err != STD_OK) {
		printf("ctl: status: %s\n", why(err));
		return 1;
	}
	buf[len > 0 ? len : 0] = 0;
	printf("%s", buf);
	return 0;
}

/* A level in units ("40", "40.5") as centi-units; exits on bad text. */
static int32
centi(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*end != 0 || v < 0 || v > 100)
		usage();
	return (int32)(v * 100 + 0.5);
}

/* The result of a command that changes something. */
static int
done(const char *what, errstat err)
{
	if (err == STD_OK)
		return 0;
	printf("ctl: %s: %s\n", what, why(err));
	return 1;
}

int
main(int argc, char **argv)
{
	long n = -1, p = 0;
	const char *cmd = argc > 1 ? argv[1] : "";
	int i = 2, args = 0;

	if (strcmp(cmd, "loop") == 0 || strcmp(cmd, "log") == 0)
		i = opts(argc, argv, 2, &n, &p);
	else if (strcmp(cmd, "valve") == 0)
		args = 1;
	else if (strcmp(cmd, "band") == 0)
		args = 2;
	else if (strcmp(cmd, "read") != 0 && strcmp(cmd, "status") != 0)
		usage();
	if (argc - i < args || argc - i > args + 1)
		usage();
	open_server(argc - i > args ? argv[argc - 1] : DEF_PATH);
	if (strcmp(cmd, "loop") == 0)
		return loop(n < 0 ? 600 : n, p ? p : 40);
	if (strcmp(cmd, "log") == 0)
		return logger(n < 0 ? 20 : n, p ? p : 500);
	if (strcmp(cmd, "read") == 0)
		return one_reading();
	if (strcmp(cmd, "status") == 0)
		return status();
	if (strcmp(cmd, "valve") == 0) {
		if (strcmp(argv[i], "0") != 0 && strcmp(argv[i], "1") != 0)
			usage();
		return done("valve", ctl_valve(argv[i][0] == '1'));
	}
	return done("band", call(CTL_BAND, centi(argv[i]), centi(argv[i + 1]),
				 0, NILBUF, 0, NULL));
}
