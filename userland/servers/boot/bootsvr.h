/*
 * bootsvr.h - the boot server's private header: the parsed configuration
 * (conf.c), the services and their state (svc.c), the request server
 * (main.c).
 *
 * Concurrency: the manager thread (svc_run) and the request threads share
 * the service table; every field under "state" is protected by
 * svc_lock.  The configuration part is written once, before the threads
 * start, and only read afterwards.
 */
#ifndef BOOTSVR_H
#define BOOTSVR_H

#include <amoeba.h>
#include <module/mutex.h>
#include <module/run.h>

#define SVC_MAX		50	/* services (Amoeba: 50 objects) */
#define SVC_NAMELEN	32	/* service name + 1 */
#define SVC_ARGMAX	20	/* arguments */
#define SVC_ENVMAX	16	/* environment strings */
#define SVC_CAPMAX	10	/* capability environment entries */

#define SVC_POLLRATE	10000	/* ms between polls (Amoeba's default) */
#define SVC_BOOTRATE	1000	/* ms between two starts of one service */
#define SVC_BACKOFFMAX	30000	/* longest wait before a restart */
#define SVC_STABLE	30000	/* ms a run must last to reset the back-off */

/* A capability environment entry: name = ref, or inherited (NULL ref). */
struct svc_cap {
	char *name;
	char *ref;	/* path from ROOT, "kdir:NODE/NAME"; NULL: inherit */
};

enum svc_state {
	SVC_WAITING,	/* not running; started at next_start */
	SVC_RUNNING,	/* started, its process capability known */
	SVC_STOPPED,	/* down: configured so or stopped by a command */
};

struct svc {
	/* configuration (conf.c) */
	char name[SVC_NAMELEN];
	char machine[RUN_NODEMAX];	/* node; "" = this node */
	char *program;			/* path or name found on PATH */
	char *argv[SVC_ARGMAX + 1];
	char *env[SVC_ENVMAX + 1];
	struct svc_cap capv[SVC_CAPMAX];
	int ncap;			/* -1: inherit every capability */
	char after[SVC_NAMELEN];	/* "" or a service started first */
	char *pollref;			/* NULL: poll the process */
	int down;			/* configured down */
	long pollrate, bootrate, stack;
	int line;			/* where it was defined */
	/* state (svc_lock) */
	enum svc_state state;
	capability proc;		/* SVC_RUNNING: its process */
	unsigned long started;		/* when it was last started (ms) */
	unsigned long next_start;	/* SVC_WAITING: not before (ms) */
	unsigned long next_poll;	/* SVC_RUNNING: next poll (ms) */
	long backoff;			/* current restart delay (ms) */
	int starts;			/* processes started */
	int stopping;			/* a stop command is being carried out */
	char last[48];			/* how the last run ended, or why not */
};

struct conf {
	struct svc svc[SVC_MAX];
	int nsvc;
	char *env[SVC_ENVMAX + 1];	/* global environ statement */
	int errors;			/* lines reported */
};

/* conf.c */
typedef void (*conf_err_fn)(int line, const char *msg);
int conf_parse(const char *text, struct conf *c, conf_err_fn err);
int conf_default(struct conf *c);
void conf_free(struct conf *c);
extern const char conf_default_text[];

/* svc.c */
extern mutex svc_lock;
void svc_init(struct conf *c, const char *node, struct run_owner *o,
	      capability *owner);
void svc_run(void);
int svc_status(char *buf, int max);
errstat svc_control(const char *name, int on);
const char *svc_statename(const struct svc *s);

#endif /* BOOTSVR_H */
