/*
 * sh - the VX shell.
 *
 *   sh                 interactive, on the terminal of STDIN (raw reads:
 *                      line editing and history, sh_edit.c); when
 *                      STDIN is not a terminal, run what it holds
 *   sh file [args]     run the commands in file ($0 = file, $1 ...)
 *   sh -c 'commands' [name args]   run the commands given
 *
 * Commands are found through $PATH (default /bin) in the directory
 * server and started on this node, on `-m NODE command` or on $VXHOST;
 * see README.md "Using the shell".  This file reads input, holds the
 * built-in commands and runs parsed programs (sh_job.c runs pipelines).
 * Exit status: that of the last command, or `exit N`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/header.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <server/tty/tty.h>

#include "sh.h"
#include "sh_vx.h"

static struct sh_edit ed;
static int exit_code;			/* for `exit` */
static int interactive;

/* Run program text (from name, for messages); sets sh_status. */
static int
run_text(const char *text, const char *name)
{
	struct sh_prog prog;
	char err[SH_ERRMAX];
	const char *msg = err;

	if (sh_parse(text, &prog, err, sizeof(err)) < 0) {
		if (interactive && name == NULL &&
		    strncmp(err, "line 1: ", 8) == 0)
			msg += 8;
		sh_printf(-1, 2, "sh: %s%s%s\n", name ? name : "",
			  name ? ": " : "", msg);
		return sh_status = 2;
	}
	for (int i = 0; i < prog.nitems && !sh_exiting; i++)
		sh_run_andor(&prog.items[i]);
	sh_prog_free(&prog);
	return sh_status;
}

/* The whole of file path (malloc'ed), or NULL with a message. */
static char *
read_file(const char *who, const char *path)
{
	char *text = NULL, *nt;
	size_t len = 0, cap = 0;
	int fd, n;

	if ((fd = open(path, O_RDONLY)) < 0) {
		sh_printf(-1, 2, "%s: %s: %s\n", who, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 > cap) {
			cap = (len + 4096) * 2;
			if ((nt = realloc(text, cap + 1)) == NULL)
				break;
			text = nt;
		}
		if ((n = read(fd, text + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (text == NULL) {
		sh_printf(-1, 2, "%s: %s: out of memory\n", who, path);
		return NULL;
	}
	text[len] = '\0';
	if (strlen(text) != len) {
		sh_printf(-1, 2, "%s: %s: not a text file\n", who, path);
		free(text);
		return NULL;
	}
	return text;
}

/* ---- built-in commands ------------------------------------------------- */

static int
bi_echo(char **argv, int out, int err)
{
	int nl = 1, i = 1;

	(void)err;
	if (argv[1] != NULL && strcmp(argv[1], "-n") == 0) {
		nl = 0;
		i++;
	}
	for (int first = i; argv[i] != NULL; i++) {
		if (i > first)
			sh_put(out, 1, " ", 1);
		sh_put(out, 1, argv[i], strlen(argv[i]));
	}
	if (nl)
		sh_put(out, 1, "\n", 1);
	return 0;
}

static int
bi_true(char **argv, int out, int err)
{
	(void)argv;
	(void)out;
	(void)err;
	return 0;
}

static int
bi_false(char **argv, int out, int err)
{
	(void)argv;
	(void)out;
	(void)err;
	return 1;
}

static int
bi_cd(char **argv, int out, int err)
{
	const char *dir = argv[1] ? argv[1] : sh_var_get("HOME");
	char cwd[256];

	(void)out;
	if (dir == NULL || dir[0] == '\0')
		dir = "/";
	if (argv[1] != NULL && argv[2] != NULL) {
		sh_printf(err, 2, "sh: cd: too many arguments\n");
		return 2;
	}
	if (chdir(dir) < 0) {
		sh_printf(err, 2, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		sh_var_set("PWD", cwd, 1);
	return 0;
}

static int
bi_pwd(char **argv, int out, int err)
{
	char cwd[256];

	(void)argv;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sh_printf(err, 2, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	sh_printf(out, 1, "%s\n", cwd);
	return 0;
}

/* A number argument of exit/wait; -1 when it is none. */
static int
number(const char *s)
{
	char *end;
	long v;

	if (s[0] == '%')
		s++;
	v = strtol(s, &end, 10);
	return *s == '\0' || *end != '\0' || v < 0 || v > 0x7fffffff ? -1 :
									 (int)v;
}

static int
bi_exit(char **argv, int out, int err)
{
	(void)out;
	exit_code = sh_status;
	if (argv[1] != NULL && (exit_code = number(argv[1])) < 0) {
		sh_printf(err, 2, "sh: exit: %s: not a number\n", argv[1]);
		return 2;
	}
	sh_exiting = 1;
	return exit_code;
}

static int
bi_wait(char **argv, int out, int err)
{
	int id = 0;

	(void)out;
	if (argv[1] != NULL && (id = number(argv[1])) <= 0) {
		sh_printf(err, 2, "sh: wait: %s: not a job number\n", argv[1]);
		return 2;
	}
	return sh_jobs_wait(id);
}

static int
bi_jobs(char **argv, int out, int err)
{
	(void)argv;
	(void)err;
	sh_jobs_list(out);
	return 0;
}

/* NAME=value or NAME in an export argument. */
static int
bi_export(char **argv, int out, int err)
{
	int status = 0;
	char *eq;

	(void)out;
	for (int i = 1; argv[i] != NULL; i++) {
		eq = strchr(argv[i], '=');
		if (eq != NULL)
			*eq = '\0';
		if (sh_var_set(argv[i], eq ? eq + 1 : NULL, 1) < 0) {
			sh_printf(err, 2, "sh: export: %s: not a valid name\n",
				  argv[i]);
			status = 1;
		}
		if (eq != NULL)
			*eq = '=';
	}
	return status;
}

static int
bi_unset(char **argv, int out, int err)
{
	(void)out;
	(void)err;
	for (int i = 1; argv[i] != NULL; i++)
		sh_var_unset(argv[i]);
	return 0;
}

static void
set_one(const char *name, const char *value, int exported, void *arg)
{
	sh_printf(*(int *)arg, 1, "%s%s=%s\n", exported ? "export " : "",
		  name, value);
}

static int
bi_set(char **argv, int out, int err)
{
	(void)argv;
	(void)err;
	sh_var_each(set_one, &out);
	return 0;
}

static int
bi_history(char **argv, int out, int err)
{
	(void)argv;
	(void)err;
	for (int i = 0; i < ed.nhist; i++)
		sh_printf(out, 1, "%5d  %s\n", i + 1, ed.hist[i]);
	return 0;
}

static int
bi_source(char **argv, int out, int err)
{
	char *text;
	int status;

	(void)out;
	if (argv[1] == NULL) {
		sh_printf(err, 2, "sh: %s: usage: %s file\n", argv[0], argv[0]);
		return 2;
	}
	if ((text = read_file("sh", argv[1])) == NULL)
		return 1;
	status = run_text(text, argv[1]);
	free(text);
	return status;
}

static int
bi_help(char **argv, int out, int err)
{
	(void)argv;
	(void)err;
	sh_printf(out, 1,
		  "built-ins: cd [dir], pwd, echo [-n] ..., export NAME[=v], "
		  "unset NAME, set,\n  exit [n], wait [job], jobs, history, "
		  "source file (or . file), true, false, help\n"
		  "commands: in $PATH (%s); -m NODE command runs it on NODE "
		  "($VXHOST: default node)\n"
		  "syntax: a | b, a && b, a || b, a ; b, a &, < file, > file, "
		  ">> file, 2> file,\n  'quoted', \"$VAR ${VAR} $?\", \\x, "
		  "* ? [a-z], # comment\n",
		  sh_var_get("PATH") ? sh_var_get("PATH") : "/bin");
	return 0;
}

static const struct {
	const char *name;
	sh_builtin_fn fn;
} builtins[] = {
	{ "cd", bi_cd }, { "pwd", bi_pwd }, { "echo", bi_echo },
	{ "true", bi_true }, { "false", bi_false }, { "exit", bi_exit },
	{ "wait", bi_wait }, { "jobs", bi_jobs }, { "export", bi_export },
	{ "unset", bi_unset }, { "set", bi_set }, { "history", bi_history },
	{ "source", bi_source }, { ".", bi_source }, { "help", bi_help },
};

sh_builtin_fn
sh_builtin(const char *name)
{
	for (size_t i = 0; i < SIZEOFTABLE(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	return NULL;
}

/* ---- interactive input --------------------------------------------------- */

static void
ed_echo(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (write(1, s, n) < 0)
		return;
}

/* One raw character from the terminal of STDIN: the character, or -1
 * at end of input. */
static int
raw_getc(void)
{
	capability *in = getcap("STDIN");
	char c;
	header h;
	int32 n;

	if (in == NULL)
		return read(0, &c, 1) == 1 ? (unsigned char)c : -1;
	if (sh_intr_pending) {		/* taken by the job's ^C wait */
		sh_intr_pending = 0;
		return 0x03;
	}
	for (int tries = 0; tries < 50;) {
		hdr_init(&h, in, TTQ_READ);
		h.h_size = 1;
		h.h_extra = TTY_READ_RAW;
		n = rpc_trans(&h, NULL, 0, &h, &c, 1);
		if (n == 1 && !ERR_STATUS(h.h_status))
			return (unsigned char)c;
		if (n == 0 && !ERR_STATUS(h.h_status))
			return 0x03;	/* a ^C (for a job just ended) */
		/* the terminal is busy (STD_NOTNOW: other readers) or, 50
		 * times in a row, unreachable */
		if (n < 0 || ERR_CONVERT(h.h_status) != STD_NOTNOW)
			tries++;
		usleep(100000);
	}
	return -1;
}

static void
prompt(void)
{
	const char *node = sh_var_get("VX_NODE"), *pwd = sh_var_get("PWD");

	sh_printf(-1, 1, "%s:%s$ ", node ? node : "vx", pwd ? pwd : "/");
}

/* Read and run lines until end of input or exit. */
static void
interact(void)
{
	int c, r;

	sh_edit_init(&ed, ed_echo, NULL);
	while (!sh_exiting) {
		sh_jobs_reap(1);
		prompt();
		sh_edit_start(&ed);
		do {
			c = raw_getc();
			r = c < 0 ? SH_ED_EOF : sh_edit_key(&ed, c);
		} while (r == SH_ED_MORE);
		if (r == SH_ED_EOF) {
			sh_printf(-1, 1, "\n");
			break;
		}
		if (r == SH_ED_CANCEL)
			continue;
		sh_edit_addhist(&ed, ed.buf);
		run_text(ed.buf, NULL);
	}
}

/* Is standard input a terminal (a tty server's object, whose std_info
 * says "terminal"), rather than a pipe or file? */
static int
stdin_is_terminal(void)
{
	capability *in = getcap("STDIN");
	char info[64];

	if (in == NULL)
		return 1;		/* the console through the kernel */
	if (std_info(in, info, sizeof(info), NULL) != STD_OK)
		return 1;
	return strstr(info, "terminal") != NULL;
}

/* All of standard input (malloc'ed), for `... | sh`; NULL: no memory. */
static char *
read_stdin(void)
{
	char *text = NULL, *nt;
	size_t len = 0, cap = 0;
	int n;

	for (;;) {
		if (len + 4096 > cap) {
			cap = (len + 4096) * 2;
			if ((nt = realloc(text, cap + 1)) == NULL) {
				free(text);
				return NULL;
			}
			text = nt;
		}
		if ((n = read(0, text + len, cap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	return text;
}

int
main(int argc, char **argv)
{
	char cwd[256], *text;

	sh_var_init(environ);
	sh_args = argv;
	sh_nargs = 1;
	if (sh_var_get("PATH") == NULL)
		sh_var_set("PATH", "/bin", 1);
	/* a process started with WORK = ROOT has no $PWD: it is "/" */
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		setenv("PWD", "/", 1);
		snprintf(cwd, sizeof(cwd), "/");
	}
	sh_var_set("PWD", cwd, 1);
	if (st_init() < 0) {
		fprintf(stderr, "sh: cannot start the stream server\n");
		return 2;
	}
	if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(stderr, "usage: sh [-c commands | file]\n");
			return 2;
		}
		if (argc > 3) {		/* sh -c 'commands' $0 $1 ... */
			sh_args = argv + 3;
			sh_nargs = argc - 3;
		}
		run_text(argv[2], NULL);
	} else if (argc >= 2) {
		sh_args = argv + 1;	/* sh file $1 ... */
		sh_nargs = argc - 1;
		if ((text = read_file("sh", argv[1])) == NULL)
			return 127;
		run_text(text, argv[1]);
		free(text);
	} else if (!stdin_is_terminal()) {
		if ((text = read_stdin()) == NULL) {
			fprintf(stderr, "sh: standard input: out of memory\n");
			return 2;
		}
		run_text(text, "standard input");
		free(text);
	} else {
		interactive = 1;
		sh_intr_init();
		interact();
	}
	if (!sh_exiting)
		exit_code = sh_status;
	if (!interactive)
		sh_jobs_wait(0);	/* a script's jobs end with it */
	fflush(stdout);
	return exit_code;
}
