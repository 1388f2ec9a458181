/*
 * svc.c - the services of the boot server: start each one through the
 * process server of its node, with the boot server as its owner; notice
 * its end (the owner's PS_CHECKPOINT, or a poll that finds it gone) and
 * start it again after a bounded back-off, with a log line each time.
 *
 *   svc_init     take the parsed configuration, this node's name and
 *                the owner to start processes with
 *   svc_run      the manager loop (never returns): collect ended
 *                processes (run_any), then start, poll or restart each
 *                service whose time has come
 *   svc_status   the table for std_status
 *   svc_control  stop a service (kill its process, keep it down) or
 *                start it again (BOOT_CONF)
 *
 * Back-off: a service is started at most once per bootrate ms; one that
 * ends within SVC_STABLE ms of its start waits twice as long as the
 * time before (from bootrate up to SVC_BACKOFFMAX); a longer run resets
 * the wait.  Concurrency: svc_lock protects every service's state; the
 * manager holds it while it starts or polls (request threads wait).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/name.h>
#include <module/proc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>

#include "bootsvr.h"

#define MANAGER_TICK	200	/* ms the manager waits for an ended process */

mutex svc_lock;
static struct conf *conf;
static const char *node;		/* this node */
static struct run_owner *owner;
static capability ownercap;

void
svc_init(struct conf *c, const char *nodename, struct run_owner *o,
	 capability *ocap)
{
	unsigned long now = sys_milli();

	conf = c;
	node = nodename;
	owner = o;
	ownercap = *ocap;
	mu_init(&svc_lock);
	for (int i = 0; i < c->nsvc; i++) {
		struct svc *s = &c->svc[i];

		s->state = s->down ? SVC_STOPPED : SVC_WAITING;
		s->next_start = now;
		s->backoff = s->bootrate;
		snprintf(s->last, sizeof(s->last), s->down ? "down" :
			 "not started");
	}
}

const char *
svc_statename(const struct svc *s)
{
	switch (s->state) {
	case SVC_RUNNING: return "running";
	case SVC_STOPPED: return "down";
	default: return "waiting";
	}
}

static const char *
svc_node(const struct svc *s)
{
	return s->machine[0] != 0 ? s->machine : node;
}

/* Put "NAME=value" into env (replacing one of the same name). */
static void
env_set(char **env, int *n, int max, char *str)
{
	size_t len = strcspn(str, "=");

	for (int i = 0; i < *n; i++) {
		if (strncmp(env[i], str, len) == 0 && env[i][len] == '=') {
			env[i] = str;
			return;
		}
	}
	if (*n < max)
		env[(*n)++] = str;
}

/* The environment of s: defaults, the global environ, its own. */
static void
make_env(const struct svc *s, char **env, char *nodevar, size_t len)
{
	int n = 0, max = 2 * SVC_ENVMAX + 3;
	char **v;

	snprintf(nodevar, len, "VX_NODE=%s", svc_node(s));
	env_set(env, &n, max, "HOME=/");
	env_set(env, &n, max, "PATH=/bin");
	env_set(env, &n, max, nodevar);
	for (v = (char **)conf->env; *v != NULL; v++)
		env_set(env, &n, max, *v);
	for (v = (char **)s->env; *v != NULL; v++)
		env_set(env, &n, max, *v);
	env[n] = NULL;
}

/* Resolve a capv reference: a path from ROOT or "kdir:NODE/NAME". */
static errstat
resolve(const char *ref, capability *cap)
{
	char kn[RUN_NODEMAX];
	const char *slash;

	if (strncmp(ref, "kdir:", 5) != 0)
		return name_lookup((char *)ref, cap);
	slash = strchr(ref + 5, '/');
	if (slash == NULL || (size_t)(slash - ref - 5) >= sizeof(kn))
		return STD_ARGBAD;
	memcpy(kn, ref + 5, (size_t)(slash - ref - 5));
	kn[slash - ref - 5] = 0;
	return kdir_lookup(kn, slash + 1, cap);
}

/* The capability environment of s into cl (NULL-terminated). */
static errstat
make_capv(struct svc *s, struct caplist *cl, capability *caps)
{
	int n = 0;

	if (s->ncap < 0) {	/* inherit everything */
		for (struct caplist *c = vx_capv; c && c->cl_name; c++) {
			if (n == SVC_CAPMAX)
				break;
			cl[n] = *c;
			n++;
		}
		cl[n].cl_name = NULL;
		cl[n].cl_cap = NULL;
		return STD_OK;
	}
	for (int i = 0; i < s->ncap; i++) {
		struct svc_cap *sc = &s->capv[i];
		capability *c;
		errstat err;

		if (sc->ref == NULL) {
			c = getcap(sc->name);
			if (c == NULL) {
				snprintf(s->last, sizeof(s->last),
					 "no capability %s to pass on",
					 sc->name);
				return STD_NOTFOUND;
			}
		} else {
			err = resolve(sc->ref, &caps[i]);
			if (err != STD_OK) {
				snprintf(s->last, sizeof(s->last),
					 "capv %s: %s", sc->name, err_why(err));
				return err;
			}
			c = &caps[i];
		}
		cl[n].cl_name = sc->name;
		cl[n].cl_cap = c;
		n++;
	}
	cl[n].cl_name = NULL;
	cl[n].cl_cap = NULL;
	return STD_OK;
}

/* Start s now; on failure s->last says why. */
static errstat
start(struct svc *s)
{
	char *env[2 * SVC_ENVMAX + 4], nodevar[48];
	struct caplist cl[SVC_CAPMAX + 1];
	capability caps[SVC_CAPMAX], host, prog;
	errstat err;

	err = run_host(s->machine[0] != 0 ? s->machine : NULL, &host);
	if (err != STD_OK) {
		snprintf(s->last, sizeof(s->last), "node %s: %s", svc_node(s),
			 err_why(err));
		return err;
	}
	err = run_findprog(s->program, NULL, &prog, NULL, 0);
	if (err != STD_OK) {
		snprintf(s->last, sizeof(s->last), "%s: %s", s->program,
			 err_why(err));
		return err;
	}
	if ((err = make_capv(s, cl, caps)) != STD_OK)
		return err;
	make_env(s, env, nodevar, sizeof(nodevar));
	err = exec_file(&prog, &host, &ownercap, s->stack, s->argv, env, cl,
			&s->proc);
	if (err != STD_OK)
		snprintf(s->last, sizeof(s->last), "exec: %s", err_why(err));
	return err;
}

/* Schedule the next start of s after a run (or an attempt) that began
 * at s->started; double the wait after a short run. */
static void
schedule(struct svc *s, unsigned long now)
{
	if (now - s->started >= SVC_STABLE)
		s->backoff = s->bootrate;
	s->next_start = s->started + (unsigned long)s->backoff;
	if ((long)(s->next_start - now) < 0)
		s->next_start = now;
	s->backoff = s->backoff * 2 > SVC_BACKOFFMAX ? SVC_BACKOFFMAX :
		     s->backoff * 2;
	if (s->backoff < s->bootrate)
		s->backoff = s->bootrate;
	s->state = SVC_WAITING;
}

/* s's process has ended (how and status as run.h) or is gone. */
static void
ended(struct svc *s, const char *why, unsigned long now)
{
	snprintf(s->last, sizeof(s->last), "%s", why);
	if (s->stopping || s->down) {
		s->stopping = 0;
		s->state = SVC_STOPPED;
		printf("boot: %s stopped (%s)\n", s->name, why);
		return;
	}
	schedule(s, now);
	printf("boot: %s on %s ended (%s); restart in %lu ms\n", s->name,
	       svc_node(s), why, s->next_start - now);
}

static int
after_ok(const struct svc *s)
{
	for (int i = 0; s->after[0] != 0 && i < conf->nsvc; i++)
		if (strcmp(conf->svc[i].name, s->after) == 0)
			return conf->svc[i].state == SVC_RUNNING;
	return 1;
}

static void
try_start(struct svc *s, unsigned long now)
{
	errstat err;

	if (!after_ok(s))
		return;
	s->started = now;
	err = start(s);
	if (err != STD_OK) {
		schedule(s, now);
		printf("boot: cannot start %s on %s: %s; again in %lu ms\n",
		       s->name, svc_node(s), s->last, s->next_start - now);
		return;
	}
	s->starts++;
	s->state = SVC_RUNNING;
	s->next_poll = now + (unsigned long)s->pollrate;
	snprintf(s->last, sizeof(s->last), "started");
	printf("boot: started %s on %s\n", s->name, svc_node(s));
}

/* Poll s: its pollcap, else its process, must answer std_info. */
static void
poll_svc(struct svc *s, unsigned long now)
{
	char buf[64];
	capability cap = s->proc;
	errstat err;
	int len;

	s->next_poll = now + (unsigned long)s->pollrate;
	if (s->pollref != NULL && resolve(s->pollref, &cap) != STD_OK)
		cap = s->proc;
	err = std_info(&cap, buf, sizeof(buf), &len);
	if (err != STD_OK && err != STD_COMBAD) {
		char why[40];

		snprintf(why, sizeof(why), "poll: %s", err_why(err));
		ended(s, why, now);
	}
}

static void
step(struct svc *s, unsigned long now)
{
	switch (s->state) {
	case SVC_WAITING:
		if ((long)(now - s->next_start) >= 0)
			try_start(s, now);
		break;
	case SVC_RUNNING:
		if (s->stopping == 1) {
			s->stopping = 2;	/* asked once */
			std_destroy(&s->proc);
		} else if ((long)(now - s->next_poll) >= 0) {
			poll_svc(s, now);
		}
		break;
	default:
		break;
	}
}

static struct svc *
by_proc(const capability *proc)
{
	for (int i = 0; i < conf->nsvc; i++) {
		struct svc *s = &conf->svc[i];

		if (s->state == SVC_RUNNING &&
		    memcmp(&s->proc, proc, sizeof(*proc)) == 0)
			return s;
	}
	return NULL;
}

static void
collect(const capability *proc, int how, int status)
{
	char why[40];
	struct svc *s = by_proc(proc);

	if (s == NULL)
		return;
	snprintf(why, sizeof(why), "%s %d", how == RUN_EXITED ? "exit" :
		 how == RUN_KILLED ? "killed" : "fault", status);
	ended(s, why, sys_milli());
}

void
svc_run(void)
{
	for (;;) {
		capability proc;
		int how, status;
		unsigned long now;

		unsigned long t0 = sys_milli();

		if (run_any(owner, &proc, &how, &status, MANAGER_TICK) ==
		    STD_OK) {
			mu_lock(&svc_lock);
			collect(&proc, how, status);
			mu_unlock(&svc_lock);
		} else if (sys_milli() - t0 < MANAGER_TICK / 2) {
			sys_sleep(MANAGER_TICK);	/* it did not wait */
		}
		mu_lock(&svc_lock);
		now = sys_milli();
		for (int i = 0; i < conf->nsvc; i++)
			step(&conf->svc[i], now);
		mu_unlock(&svc_lock);
		fflush(stdout);
	}
}

/* svc_status: the table of services into buf; returns its length. */
int
svc_status(char *buf, int max)
{
	int n;

	mu_lock(&svc_lock);
	n = snprintf(buf, (size_t)max, "%-12s %-10s %-8s %6s  %-20s %s\n",
		     "SERVICE", "NODE", "STATE", "STARTS", "PROGRAM", "LAST");
	for (int i = 0; i < conf->nsvc && n < max; i++) {
		struct svc *s = &conf->svc[i];

		n += snprintf(buf + n, (size_t)(max - n),
			      "%-12s %-10s %-8s %6d  %-20s %s\n", s->name,
			      svc_node(s), svc_statename(s), s->starts,
			      s->program, s->last);
	}
	mu_unlock(&svc_lock);
	return n < max ? n : max - 1;
}

/* svc_control: on = start (now) and keep running; 0 = stop, keep down. */
errstat
svc_control(const char *name, int on)
{
	errstat err = STD_NOTFOUND;

	mu_lock(&svc_lock);
	for (int i = 0; i < conf->nsvc; i++) {
		struct svc *s = &conf->svc[i];

		if (strcmp(s->name, name) != 0)
			continue;
		err = STD_OK;
		s->down = !on;
		if (on)
			s->stopping = 0;
		if (on && s->state == SVC_STOPPED) {
			s->state = SVC_WAITING;
			s->backoff = s->bootrate;
			s->next_start = sys_milli();
		} else if (!on && s->state == SVC_RUNNING) {
			s->stopping = 1;
		} else if (!on) {
			s->state = SVC_STOPPED;
			snprintf(s->last, sizeof(s->last), "stopped");
		}
		printf("boot: %s %s by command\n", name, on ? "started" :
		       "stopped");
	}
	mu_unlock(&svc_lock);
	return err;
}
