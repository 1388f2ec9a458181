/*
 * sh_job.c - running pipelines: words expanded, streams set up for the
 * pipes and redirections, programs started (module/run.h: run_prog on
 * this node, on `-m NODE` or on $VXHOST, all owned by the shell's one
 * run_owner), built-ins run in the shell, and the processes' ends
 * collected from the owner checkpoints, which end the streams' writers
 * and readers.  Background jobs (&) are kept in a small table until they
 * are reported (sh_jobs_reap) or waited for (sh_jobs_wait).  Only the
 * main thread runs this code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <caplist.h>
#include <stderr.h>
#include <module/header.h>
#include <module/proc.h>
#include <module/rpc.h>
#include <module/run.h>
#include <module/syscall.h>
#include <semaphore.h>
#include <server/tty/tty.h>
#include <thread.h>

#include "sh.h"
#include "sh_vx.h"

#define SH_MAXJOBS	16		/* jobs at a time (one foreground) */
#define SH_MAXCMDS	16		/* commands in one pipeline */
#define SH_MAXOUTS	(2 * SH_MAXCMDS)

struct proc {
	capability cap;			/* the process (external) */
	int running;			/* started and not ended */
	int how, status;		/* its end: RUN_*, detail */
	int in, out, err;		/* streams, -1 = the shell's own */
	char name[32];			/* for messages */
};

struct outfile {
	int s;				/* the stream collecting it */
	int fd;				/* open for writing since set-up */
	char path[128];
};

struct job {
	int id;				/* 1.., 0 = free */
	int background;
	int nprocs;
	struct proc procs[SH_MAXCMDS];
	int streams[SH_MAXOUTS + SH_MAXCMDS];	/* every stream, to free */
	int nstreams;
	struct outfile outs[SH_MAXOUTS];
	int nouts;
	char text[64];			/* "cat | wc" for job lines */
	volatile int interrupted;	/* ^C stunned it (intr_thread) */
};

static struct job jobs[SH_MAXJOBS];
static struct run_owner *owner;
static capability owner_cap;
int sh_exiting;

/*
 * ^C: while an interactive shell waits for a foreground job, intr_thread
 * asks the terminal (TTQ_CONTROL TTY_CTL_WAITINTR, half a second at a
 * time) for a ^C and stuns the job's processes when one comes; at the
 * job's end the main thread ends the wait (TTY_CTL_CANCELINTR).  fg is
 * the job waited for (NULL: none); it and intr_go are set by the main
 * thread only; the thread reads the processes' capabilities, which do
 * not change while the job runs.
 */
static struct job *volatile fg;
static semaphore intr_go;		/* upped when a wait starts */
static int intr_on;			/* the thread runs */
volatile int sh_intr_pending;		/* a ^C came after the job ended */

void
sh_put(int s, int fd, const char *buf, size_t n)
{
	if (s >= 0)
		st_put(s, buf, n);
	else if (write(fd, buf, n) < 0)
		return;
}

void
sh_printf(int s, int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		sh_put(s, fd, buf, (size_t)n);
}

#define errmsg(...) sh_printf(-1, 2, "sh: " __VA_ARGS__)

/* ---- the job table ------------------------------------------------------- */

static struct job *
job_new(void)
{
	int id = 1;

	for (int i = 0; i < SH_MAXJOBS; i++)
		for (int j = 0; j < SH_MAXJOBS; j++)
			if (jobs[j].id == id)
				id++;
	for (int i = 0; i < SH_MAXJOBS; i++)
		if (jobs[i].id == 0) {
			memset(&jobs[i], 0, sizeof(jobs[i]));
			jobs[i].id = id;
			return &jobs[i];
		}
	return NULL;
}

static int
job_stream(struct job *j, int bounded)
{
	int s = st_new(bounded);

	if (s >= 0)
		j->streams[j->nstreams++] = s;
	return s;
}

static int
job_running(const struct job *j)
{
	for (int i = 0; i < j->nprocs; i++)
		if (j->procs[i].running)
			return 1;
	return 0;
}

/* Process k of j has ended: its streams lose a writer or their reader. */
static void
proc_end(struct job *j, int k, int how, int status)
{
	struct proc *p = &j->procs[k];

	p->running = 0;
	p->how = how;
	p->status = status;
	if (p->out >= 0)
		st_writer_done(p->out);
	if (p->err >= 0 && p->err != p->out)
		st_writer_done(p->err);
	if (p->in >= 0)
		st_reader_done(p->in);
}

/* The exit status of j: its last command's; killed or faulted = 128+. */
static int
job_status(const struct job *j)
{
	const struct proc *p = &j->procs[j->nprocs - 1];

	if (j->nprocs == 0)
		return 0;
	if (j->interrupted)
		return 130;
	if (p->how == RUN_KILLED)
		return 137;
	if (p->how == RUN_FAULTED)
		return 139;
	return p->status & 0xff;
}

/* Write the output files (their contents are complete now), free the
 * streams and the slot.  Returns the job's status. */
static int
job_finish(struct job *j)
{
	int status = job_status(j);

	if (j->interrupted)
		sh_printf(-1, 1, "\n");
	for (int i = 0; i < j->nprocs && !j->interrupted; i++) {
		struct proc *p = &j->procs[i];

		if (p->how == RUN_KILLED)
			errmsg("%s: killed (%d)\n", p->name, p->status);
		else if (p->how == RUN_FAULTED)
			errmsg("%s: fault (exception %d)\n", p->name,
			       p->status);
	}
	for (int i = 0; i < j->nouts; i++) {
		struct outfile *o = &j->outs[i];
		size_t n, done = 0;
		char *data = st_take(o->s, &n);
		int w = 0, e = 0;

		while (done < n && (w = write(o->fd, data + done, n - done)) > 0)
			done += (size_t)w;
		if (w < 0)
			e = errno;
		if (close(o->fd) < 0 && e == 0)
			e = errno;
		if (e != 0) {
			errmsg("%s: %s\n", o->path, strerror(e));
			status = status ? status : 1;
		}
		free(data);
	}
	for (int i = 0; i < j->nstreams; i++)
		st_free(j->streams[i]);
	j->id = 0;
	return status;
}

/* ---- ^C ---------------------------------------------------------------- */

/* Wait up to ms for a ^C on terminal tty (ms = 0: end such waits); 1
 * if one came. */
static int
intr_wait(capability *tty, interval ms)
{
	header h;

	hdr_init(&h, tty, TTQ_CONTROL);
	h.h_extra = ms > 0 ? TTY_CTL_WAITINTR : TTY_CTL_CANCELINTR;
	h.h_offset = ms;
	if (rpc_trans(&h, NULL, 0, &h, NULL, 0) < 0 || ERR_STATUS(h.h_status))
		return -1;
	return h.h_size == 1;
}

static void
intr_thread(char *param, int psize)
{
	capability *tty = getcap("STDIN");
	struct job *j;
	int r;

	(void)param;
	(void)psize;
	for (;;) {
		sema_down(&intr_go);
		while ((j = fg) != NULL) {
			if ((r = intr_wait(tty, 500)) < 0) {
				sys_sleep(500);	/* terminal busy: try later */
				continue;
			}
			if (r == 0)
				continue;
			if (j != fg) {		/* the job ended meanwhile: the */
				sh_intr_pending = 1;	/* ^C is the editor's */
				continue;
			}
			j->interrupted = 1;
			for (int k = 0; k < j->nprocs; k++)
				if (j->procs[k].running)
					pro_stun(&j->procs[k].cap, 2);
		}
	}
}

/* Let ^C stop foreground jobs (an interactive shell on a terminal). */
void
sh_intr_init(void)
{
	sema_init(&intr_go, 0);
	if (getcap("STDIN") != NULL &&
	    thread_newthread(intr_thread, 16 * 1024, NULL, 0))
		intr_on = 1;
}

/* Does j run an interactive shell on this terminal (which has ^C of its
 * own: then ^C is not the outer shell's)? */
static int
runs_shell(const struct job *j)
{
	const char *n;

	for (int k = 0; k < j->nprocs; k++) {
		n = strrchr(j->procs[k].name, '/');
		n = n ? n + 1 : j->procs[k].name;
		if (j->procs[k].in < 0 && strcmp(n, "sh") == 0)
			return 1;
	}
	return 0;
}

/* ---- collecting ends ---------------------------------------------------- */

/* One end from the owner within ms: dispatch it.  1 if one came. */
static int
collect(interval ms)
{
	capability cap;
	int how, status;

	if (owner == NULL ||
	    run_any(owner, &cap, &how, &status, ms) != STD_OK)
		return 0;
	for (int i = 0; i < SH_MAXJOBS; i++)
		for (int k = 0; k < jobs[i].nprocs; k++)
			if (jobs[i].id != 0 && jobs[i].procs[k].running &&
			    memcmp(&jobs[i].procs[k].cap, &cap,
				   sizeof(cap)) == 0) {
				proc_end(&jobs[i], k, how, status);
				return 1;
			}
	return 1;
}

/* Processes of j whose node no longer knows them (no checkpoint will
 * come) end with status 1. */
static void
check_lost(struct job *j)
{
	int how, status;
	errstat err;

	for (int k = 0; k < j->nprocs; k++) {
		struct proc *p = &j->procs[k];

		if (!p->running)
			continue;
		err = run_poll(owner, &p->cap, &how, &status);
		if (err == STD_OK) {
			proc_end(j, k, how, status);
		} else if (err != STD_NOMOREDATA) {
			errmsg("%s: process lost (%s)\n", p->name, err_why(err));
			proc_end(j, k, RUN_EXITED, 1);
		}
	}
}

static void
job_wait(struct job *j)
{
	int arm = intr_on && !j->background && job_running(j) &&
		  !runs_shell(j);

	if (arm) {
		fg = j;
		sema_up(&intr_go);
	}
	while (job_running(j))
		if (!collect(2000))
			check_lost(j);
	if (arm) {		/* a ^C from now on is the line editor's */
		fg = NULL;
		intr_wait(getcap("STDIN"), 0);
	}
}

static void
job_report(struct job *j)
{
	int id = j->id, status = job_finish(j);

	if (status == 0)
		sh_printf(-1, 1, "[%d] Done  %s\n", id, j->text);
	else
		sh_printf(-1, 1, "[%d] Exit %d  %s\n", id, status, j->text);
}

void
sh_jobs_reap(int report)
{
	while (collect(0))
		;
	for (int i = 0; i < SH_MAXJOBS; i++)
		if (jobs[i].id != 0 && jobs[i].background &&
		    !job_running(&jobs[i])) {
			if (report)
				job_report(&jobs[i]);
			else
				job_finish(&jobs[i]);
		}
}

int
sh_jobs_wait(int id)
{
	int found = 0, status = 0;

	for (int i = 0; i < SH_MAXJOBS; i++) {
		if (jobs[i].id == 0 || !jobs[i].background ||
		    (id != 0 && jobs[i].id != id))
			continue;
		found = 1;
		job_wait(&jobs[i]);
		status = job_status(&jobs[i]);
		job_report(&jobs[i]);
	}
	if (id != 0 && !found) {
		errmsg("wait: %%%d: no such job\n", id);
		return 127;
	}
	return status;
}

void
sh_jobs_list(int out)
{
	for (int i = 0; i < SH_MAXJOBS; i++)
		if (jobs[i].id != 0 && jobs[i].background)
			sh_printf(out, 1, "[%d] %s  %s\n", jobs[i].id,
				  job_running(&jobs[i]) ? "Running" : "Done",
				  jobs[i].text);
}

/* ---- setting a job up ---------------------------------------------------- */

/* The whole file path into a new input stream; -1 with a message. */
static int
redir_in(struct job *j, const char *path)
{
	char *data = NULL, *nd;
	size_t len = 0, cap = 0;
	int fd, n, s;

	if ((fd = open(path, O_RDONLY)) < 0) {
		errmsg("%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 8192 > cap) {
			cap = (len + 8192) * 2;
			if ((nd = realloc(data, cap)) == NULL)
				break;
			data = nd;
		}
		if ((n = read(fd, data + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if ((s = job_stream(j, 0)) < 0) {
		free(data);
		errmsg("too many streams\n");
		return -1;
	}
	st_fill(s, data, len);
	return s;
}

/* A stream collecting output for path, opened now so that errors show
 * before anything runs; -1 with a message. */
static int
redir_out(struct job *j, const char *path, int append)
{
	struct outfile *o;
	int fd, s;

	if (j->nouts == SH_MAXOUTS) {
		errmsg("%s: too many redirections\n", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC),
		  0666);
	if (fd < 0) {
		errmsg("%s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((s = job_stream(j, 0)) < 0) {
		close(fd);
		errmsg("too many streams\n");
		return -1;
	}
	o = &j->outs[j->nouts++];
	o->s = s;
	o->fd = fd;
	snprintf(o->path, sizeof(o->path), "%s", path);
	return s;
}

/* The redirections of command c for process p; -1 with a message. */
static int
redirs(struct job *j, struct proc *p, const struct sh_cmd *c)
{
	char err[SH_ERRMAX], *path;
	int s = -1;

	for (int i = 0; i < c->nredirs; i++) {
		if ((path = sh_expand1(c->redirs[i].word, err,
				       sizeof(err))) == NULL) {
			errmsg("%s\n", err);
			return -1;
		}
		switch (c->redirs[i].type) {
		case SH_RIN:
			if ((s = redir_in(j, path)) >= 0) {
				if (p->in >= 0)
					st_reader_done(p->in);
				p->in = s;
			}
			break;
		case SH_ROUT:
		case SH_RAPPEND:
			if ((s = redir_out(j, path,
					   c->redirs[i].type == SH_RAPPEND)) >= 0)
				p->out = s;
			break;
		case SH_RERR:
			if ((s = redir_out(j, path, 0)) >= 0)
				p->err = s;
			break;
		}
		free(path);
		if (s < 0)
			return -1;
	}
	return 0;
}

/* The words of c expanded: leading NAME=value words into *assign, the
 * rest into *args.  -1 with a message. */
static int
expand_cmd(const struct sh_cmd *c, struct sh_fields *assign,
	   struct sh_fields *args)
{
	char err[SH_ERRMAX];
	const char *eq;
	int i = 0;

	for (; i < c->nwords; i++) {
		eq = strchr(c->words[i], '=');
		if (eq == NULL || !sh_var_valid(c->words[i],
						(size_t)(eq - c->words[i])))
			break;
		if (sh_expand(c->words[i], assign, 0, err, sizeof(err)) < 0)
			goto fail;
	}
	for (; i < c->nwords; i++)
		if (sh_expand(c->words[i], args, 1, err, sizeof(err)) < 0)
			goto fail;
	return 0;
fail:
	errmsg("%s\n", err);
	return -1;
}

/* ---- starting ------------------------------------------------------------ */

/* The capability environment for p: the shell's own with STDIN, STDOUT
 * and STDERR replaced by p's streams.  caps holds the three. */
static struct caplist *
child_capv(const struct proc *p, capability caps[3])
{
	static const char *const names[3] = { "STDIN", "STDOUT", "STDERR" };
	const int which[3] = { p->in, p->out, p->err };
	struct caplist *cl;
	int n = 0, have[3] = { 0, 0, 0 }, k;

	while (vx_capv != NULL && vx_capv[n].cl_name != NULL)
		n++;
	if ((cl = calloc((size_t)n + 4, sizeof(*cl))) == NULL)
		return NULL;
	for (k = 0; k < 3; k++)
		if (which[k] >= 0)
			st_cap(which[k], &caps[k]);
	for (int i = 0; i < n; i++) {
		cl[i] = vx_capv[i];
		for (k = 0; k < 3; k++)
			if (strcmp(cl[i].cl_name, names[k]) == 0) {
				have[k] = 1;
				if (which[k] >= 0)
					cl[i].cl_cap = &caps[k];
			}
	}
	for (k = 0; k < 3; k++)
		if (!have[k] && which[k] >= 0) {
			cl[n].cl_name = (char *)names[k];
			cl[n++].cl_cap = &caps[k];
		}
	return cl;
}

/* Start args (after any -m NODE) as process k of j; on failure a message
 * and the status the command gets (127 not found, 126 not runnable). */
static int
start(struct job *j, int k, char **args, char **assign)
{
	struct proc *p = &j->procs[k];
	const char *node = sh_var_get("VXHOST");
	capability host, caps[3];
	struct caplist *capv;
	char **envp;
	errstat err;

	if (strcmp(args[0], "-m") == 0) {
		if (args[1] == NULL || args[2] == NULL) {
			errmsg("-m: usage: -m node command [args]\n");
			return 2;
		}
		node = args[1];
		args += 2;
		snprintf(p->name, sizeof(p->name), "%s", args[0]);
	}
	if (node != NULL && node[0] != '\0' &&
	    (err = run_host(node, &host)) != STD_OK) {
		errmsg("%s: no such node (%s)\n", node, err_why(err));
		return 126;
	}
	if (owner == NULL && (err = run_owner_new(&owner, &owner_cap)) != STD_OK) {
		errmsg("cannot start an owner (%s)\n", err_why(err));
		return 126;
	}
	envp = sh_var_envp(assign);
	capv = child_capv(p, caps);
	if (envp == NULL || capv == NULL) {
		sh_var_freeenvp(envp);
		free(capv);
		errmsg("%s: out of memory\n", args[0]);
		return 126;
	}
	err = run_prog(args[0], node != NULL && node[0] != '\0' ? &host : NULL,
		       owner, args, envp, capv, &p->cap);
	sh_var_freeenvp(envp);
	free(capv);
	if (err == STD_OK) {
		p->running = 1;
		return 0;
	}
	if (err == STD_NOTFOUND) {
		errmsg("%s: command not found\n", args[0]);
		return 127;
	}
	errmsg("%s: cannot run (%s)\n", args[0], err_why(err));
	return 126;
}

/* A one-line summary of pipeline p for job lines. */
static void
job_text(struct job *j, struct sh_fields *args)
{
	size_t n = 0;

	for (int k = 0; k < j->nprocs; k++) {
		if (k > 0)
			n += (size_t)snprintf(j->text + n, sizeof(j->text) - n,
					      " | ");
		for (int w = 0; args[k].v != NULL && args[k].v[w] != NULL &&
				n < sizeof(j->text) - 1; w++)
			n += (size_t)snprintf(j->text + n, sizeof(j->text) - n,
					      "%s%s", w ? " " : "", args[k].v[w]);
		if (n >= sizeof(j->text) - 1)
			break;
	}
}

/* Assignments alone: set the shell's variables. */
static int
assign_vars(struct sh_fields *a)
{
	for (int i = 0; i < a->n; i++) {
		char *eq = strchr(a->v[i], '=');

		*eq = '\0';
		sh_var_set(a->v[i], eq + 1, 0);
		*eq = '=';
	}
	return 0;
}

/* Set up streams and processes of pipeline pl in j; -1 on failure. */
static int
job_setup(struct job *j, struct sh_pipe *pl, struct sh_fields *assign,
	  struct sh_fields *args)
{
	j->nprocs = pl->ncmds;
	for (int k = 0; k < pl->ncmds; k++) {
		j->procs[k].in = j->procs[k].out = j->procs[k].err = -1;
		if (expand_cmd(&pl->cmds[k], &assign[k], &args[k]) < 0)
			return -1;
		snprintf(j->procs[k].name, sizeof(j->procs[k].name), "%s",
			 args[k].n > 0 ? args[k].v[0] : "");
	}
	for (int k = 0; k + 1 < pl->ncmds; k++) {
		int s = job_stream(j, 1);

		if (s < 0) {
			errmsg("too many streams\n");
			return -1;
		}
		j->procs[k].out = s;
		j->procs[k + 1].in = s;
	}
	for (int k = 0; k < pl->ncmds; k++)
		if (redirs(j, &j->procs[k], &pl->cmds[k]) < 0)
			return -1;
	/* a background job reads nothing from the terminal: the shell
	 * reads it (an empty stream: end of file at once) */
	if (j->background && j->procs[0].in < 0 &&
	    (j->procs[0].in = job_stream(j, 0)) < 0) {
		errmsg("too many streams\n");
		return -1;
	}
	for (int k = 0; k < pl->ncmds; k++) {
		struct proc *p = &j->procs[k];

		if (p->out >= 0)
			st_writer_add(p->out);
		if (p->err >= 0 && p->err != p->out)
			st_writer_add(p->err);
	}
	return 0;
}

/* Run pipeline pl: the foreground's status, 0 for a background job. */
static int
run_pipe(struct sh_pipe *pl, int background)
{
	struct sh_fields assign[SH_MAXCMDS], args[SH_MAXCMDS];
	struct job *j;
	sh_builtin_fn fn;
	int status = 0;

	if (pl->ncmds > SH_MAXCMDS) {
		errmsg("more than %d commands in a pipeline\n", SH_MAXCMDS);
		return 2;
	}
	if ((j = job_new()) == NULL) {
		errmsg("too many jobs\n");
		return 2;
	}
	memset(assign, 0, sizeof(assign));
	memset(args, 0, sizeof(args));
	j->background = background;
	if (job_setup(j, pl, assign, args) < 0) {
		for (int k = 0; k < pl->ncmds; k++)
			j->procs[k].running = 0;
		job_finish(j);
		status = 1;
		goto out;
	}
	job_text(j, args);
	/* programs first, so that built-ins write to running readers */
	for (int k = 0; k < j->nprocs; k++) {
		if (args[k].n == 0 || sh_builtin(args[k].v[0]) != NULL)
			continue;
		if ((status = start(j, k, args[k].v, assign[k].v)) != 0)
			proc_end(j, k, RUN_EXITED, status);
	}
	for (int k = 0; k < j->nprocs; k++) {
		if (args[k].n == 0) {
			if (j->nprocs == 1)
				assign_vars(&assign[k]);
			proc_end(j, k, RUN_EXITED, 0);
		} else if ((fn = sh_builtin(args[k].v[0])) != NULL) {
			proc_end(j, k, RUN_EXITED,
				 fn(args[k].v, j->procs[k].out, j->procs[k].err));
		}
	}
	if (background) {
		sh_printf(-1, 1, "[%d] %s\n", j->id, j->text);
		status = 0;
	} else {
		job_wait(j);
		status = job_finish(j);
	}
out:
	for (int k = 0; k < pl->ncmds; k++) {
		sh_fields_free(&assign[k]);
		sh_fields_free(&args[k]);
	}
	return status;
}

int
sh_run_andor(struct sh_andor *a)
{
	if (a->background && a->npipes > 1) {
		errmsg("& after && or || is not supported: put the list in a "
		       "script and run `sh file &'\n");
		return sh_status = 2;
	}
	for (int i = 0; i < a->npipes && !sh_exiting; i++) {
		if (i > 0 && a->pipes[i - 1].op == SH_AND && sh_status != 0)
			continue;
		if (i > 0 && a->pipes[i - 1].op == SH_OR && sh_status == 0)
			continue;
		sh_status = run_pipe(&a->pipes[i], a->background);
	}
	return sh_status;
}
