/*
 * sh.h - the VX shell's shared declarations.
 *
 * The shell is split into a portable core, built both for VX and on the
 * host (unit test tests/host/sh, fuzz target tests/fuzz/fuzz_sh_parse):
 *
 *   sh_parse.c   lexer and parser: a line of text to a program (a list
 *                of and-or lists of pipelines of simple commands)
 *   sh_expand.c  words to fields: quotes, \, $VAR, ${VAR}, $?, ~, and
 *                globbing (* ? [..]) against directory listings
 *   sh_vars.c    the shell's variables (exported ones form the envp)
 *   sh_edit.c    the line editor's key handling and history
 *
 * and the VX-only part: sh_main.c (reading, built-ins, running jobs),
 * sh_stream.c (the stream objects the shell serves to its jobs for
 * pipes and redirections).
 */
#ifndef SH_H
#define SH_H

#include <stddef.h>

/* ---- the parse tree ---------------------------------------------------- */

enum sh_rtype { SH_RIN, SH_ROUT, SH_RAPPEND, SH_RERR };

struct sh_redir {
	enum sh_rtype type;		/* <, >, >>, 2> */
	char *word;			/* the file, unexpanded */
};

struct sh_cmd {
	char **words;			/* raw words (quotes kept), NULL-ended */
	int nwords;
	struct sh_redir *redirs;	/* in order of appearance */
	int nredirs;
};

struct sh_pipe {
	struct sh_cmd *cmds;		/* a | b | c */
	int ncmds;
	int op;				/* connector to the next: 0, SH_AND, SH_OR */
};

#define SH_AND	1			/* && */
#define SH_OR	2			/* || */

struct sh_andor {
	struct sh_pipe *pipes;		/* p1 && p2 || p3 ... */
	int npipes;
	int background;			/* ended by & */
	int line;			/* line number it starts on */
};

struct sh_prog {
	struct sh_andor *items;		/* separated by ; & or newlines */
	int nitems;
};

#define SH_ERRMAX 128

/*
 * sh_parse - parse text (NUL-terminated, any number of lines) into *prog.
 * Returns 0, or -1 with a message in err (and *prog empty).  Free with
 * sh_prog_free.
 */
int sh_parse(const char *text, struct sh_prog *prog, char *err, size_t errlen);
void sh_prog_free(struct sh_prog *prog);

/* ---- variables ---------------------------------------------------------- */

void sh_var_init(char **environ);
const char *sh_var_get(const char *name);
int sh_var_set(const char *name, const char *value, int export);
int sh_var_export(const char *name);
void sh_var_unset(const char *name);
int sh_var_valid(const char *name, size_t len);	/* a NAME? */
char **sh_var_envp(char **extra);	/* exported + extra NAME=v; free */
void sh_var_freeenvp(char **envp);
void sh_var_each(void (*fn)(const char *name, const char *value,
			    int exported, void *arg), void *arg);
extern int sh_status;			/* $? */
extern char **sh_args;			/* $0 (the script), $1, ... */
extern int sh_nargs;			/* entries in sh_args */

/* ---- expansion ---------------------------------------------------------- */

struct sh_fields {
	char **v;			/* the fields, NULL-ended */
	int n;
	int cap;
};

/*
 * sh_expand - expand raw word w and append the resulting fields to f:
 * one field, or for an unquoted glob pattern every matching path in
 * order (the word itself, quotes removed, when nothing matches).
 * Returns 0, or -1 with a message in err (bad ${...}, out of memory).
 */
int sh_expand(const char *w, struct sh_fields *f, int glob, char *err,
	      size_t errlen);
/* sh_expand1 - w as exactly one field (no globbing); malloc'ed or NULL. */
char *sh_expand1(const char *w, char *err, size_t errlen);
void sh_fields_free(struct sh_fields *f);

/* sh_match - glob pattern p (\ quotes the next character) against s. */
int sh_match(const char *p, const char *s);

/* ---- line editor ------------------------------------------------------- */

#define SH_LINEMAX	1024
#define SH_HISTMAX	100

struct sh_edit {
	char buf[SH_LINEMAX];		/* the line being edited */
	int len, pos;			/* its length, the cursor */
	int esc;			/* state of an escape sequence */
	char *hist[SH_HISTMAX];		/* oldest first */
	int nhist;
	int hpos;			/* history entry shown; nhist = new */
	char saved[SH_LINEMAX];		/* the new line while browsing */
	void (*out)(void *arg, const char *s, size_t n);	/* echo */
	void *arg;
};

enum { SH_ED_MORE, SH_ED_LINE, SH_ED_EOF, SH_ED_CANCEL };

void sh_edit_init(struct sh_edit *e, void (*out)(void *, const char *, size_t),
		  void *arg);
void sh_edit_start(struct sh_edit *e);
int sh_edit_key(struct sh_edit *e, int c);	/* SH_ED_* */
void sh_edit_addhist(struct sh_edit *e, const char *line);

#endif /* SH_H */
