/*
 * conf.c - the boot configuration: a subset of Amoeba's boot server
 * language (spec 9), parsed into struct conf.
 *
 *   file    := { 'environ' strlist ';' | IDENT '{' { option ';' } '}' ';' }
 *   option  := 'down' | 'after' IDENT | 'bootrate' NUM | 'pollrate' NUM
 *            | 'machine' (STR | IDENT) | 'pollcap' STR
 *            | 'program' '{' STR { ';' popt } [';'] '}'
 *   popt    := 'argv' strlist | 'environ' strlist | 'stack' NUM
 *            | 'capv' '{' capent { ',' capent } '}'
 *   capent  := IDENT [ '=' STR ]
 *   strlist := '{' STR { ',' STR } '}'
 *
 * `#` starts a comment to the end of the line.  A capv entry without '='
 * is inherited from the boot server (STDIN, ROOT ...); with '=' the
 * string is a path from ROOT or "kdir:NODE/NAME" (an entry of a node's
 * kernel directory, such as "kdir:n2/tty").  A service without capv
 * inherits every capability of the boot server.
 *
 * Entry points: conf_parse (reports each error with its line number
 * through a callback, drops only the statement in error and goes on),
 * conf_default (the built-in configuration: a shell on the console),
 * conf_free.
 * Uses only the C library, so host tests can build it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootsvr.h"

const char conf_default_text[] =
	"# built-in: a shell on this node's console, restarted when it "
	"exits\n"
	"sh {\n"
	"\tprogram { \"/bin/sh\"; argv { \"sh\" }; };\n"
	"};\n";

enum tok { T_EOF, T_IDENT, T_STR, T_NUM, T_PUNCT, T_BAD };

struct lex {
	const char *p;		/* next character */
	int line;		/* of the current token */
	enum tok t;		/* current token */
	char text[256];		/* its text (T_IDENT, T_STR, T_NUM) */
	char punct;		/* T_PUNCT: { } ; , = */
	long num;		/* T_NUM */
	const char *why;	/* T_BAD */
	int depth;		/* braces open before the current token */
	conf_err_fn err;
	int errors;
};

static void
error(struct lex *l, const char *fmt, const char *arg)
{
	char msg[200];

	if (l->t == T_BAD)		/* the lexer's reason comes first */
		snprintf(msg, sizeof(msg), "%s", l->why);
	else
		snprintf(msg, sizeof(msg), fmt, arg);
	l->errors++;
	if (l->err != NULL)
		l->err(l->line, msg);
}

/* Copy src into dst of size n, cut if longer. */
static void
copy(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = 0;
}

static int
is(struct lex *l, char c)
{
	return l->t == T_PUNCT && l->punct == c;
}

static void
skip_space(struct lex *l)
{
	for (;;) {
		if (*l->p == '\n')
			l->line++;
		if (*l->p == '#')
			while (*l->p != 0 && *l->p != '\n')
				l->p++;
		else if (*l->p != 0 && isspace((unsigned char)*l->p))
			l->p++;
		else
			return;
	}
}

static void
lex_string(struct lex *l)
{
	size_t n = 0;

	l->p++;
	while (*l->p != '"') {
		char c = *l->p++;

		if (c == 0 || c == '\n') {
			l->t = T_BAD;
			l->why = "unterminated string";
			if (c == '\n')
				l->p--;
			return;
		}
		if (c == '\\' && *l->p != 0 && *l->p != '\n') {
			c = *l->p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (n + 1 >= sizeof(l->text)) {
			l->t = T_BAD;
			l->why = "string too long";
			return;
		}
		l->text[n++] = c;
	}
	l->p++;
	l->text[n] = 0;
	l->t = T_STR;
}

/* The next token into l. */
static void
next(struct lex *l)
{
	size_t n = 0;

	if (is(l, '{'))
		l->depth++;
	else if (is(l, '}') && l->depth > 0)
		l->depth--;
	skip_space(l);
	if (*l->p == 0) {
		l->t = T_EOF;
	} else if (*l->p == '"') {
		lex_string(l);
	} else if (strchr("{};,=", *l->p) != NULL) {
		l->t = T_PUNCT;
		l->punct = *l->p++;
	} else if (isalnum((unsigned char)*l->p) || *l->p == '_') {
		int digits = 1;

		while (isalnum((unsigned char)*l->p) ||
		       (*l->p != 0 && strchr("_.-", *l->p) != NULL)) {
			if (!isdigit((unsigned char)*l->p))
				digits = 0;
			if (n + 1 < sizeof(l->text))
				l->text[n++] = *l->p;
			l->p++;
		}
		l->text[n] = 0;
		l->t = digits ? T_NUM : T_IDENT;
		l->num = digits ? strtol(l->text, NULL, 10) : 0;
	} else {
		l->t = T_BAD;
		l->why = "unexpected character";
		l->p++;
	}
}

static int
expect(struct lex *l, char c)
{
	char what[4] = { '\'', c, '\'', 0 };

	if (!is(l, c)) {
		error(l, "%s expected", what);
		return -1;
	}
	next(l);
	return 0;
}

/* Skip to the end of the statement in error: a ';' outside braces. */
static void
recover(struct lex *l)
{
	while (l->t != T_EOF && !(is(l, ';') && l->depth == 0))
		next(l);
	if (l->t != T_EOF)
		next(l);
}

/* strlist into v (at most max strings, NULL-terminated). */
static int
strlist(struct lex *l, char **v, int max, const char *what)
{
	int n = 0;

	if (expect(l, '{') < 0)
		return -1;
	for (;;) {
		if (l->t != T_STR) {
			error(l, "a string expected in %s", what);
			return -1;
		}
		if (n == max) {
			error(l, "too many strings in %s", what);
			return -1;
		}
		v[n++] = strdup(l->text);
		v[n] = NULL;
		next(l);
		if (!is(l, ','))
			break;
		next(l);
	}
	return expect(l, '}');
}

static int
capvlist(struct lex *l, struct svc *s)
{
	if (expect(l, '{') < 0)
		return -1;
	s->ncap = 0;
	for (;;) {
		struct svc_cap *c = &s->capv[s->ncap];

		if (l->t != T_IDENT) {
			error(l, "a capability name expected in %s", "capv");
			return -1;
		}
		if (s->ncap == SVC_CAPMAX) {
			error(l, "more than %s capabilities", "10");
			return -1;
		}
		c->name = strdup(l->text);
		c->ref = NULL;
		s->ncap++;
		next(l);
		if (is(l, '=')) {
			next(l);
			if (l->t != T_STR) {
				error(l, "a path string expected after '%s ='",
				      c->name);
				return -1;
			}
			c->ref = strdup(l->text);
			next(l);
		}
		if (!is(l, ','))
			break;
		next(l);
	}
	return expect(l, '}');
}

static int
number(struct lex *l, long *v, const char *what)
{
	if (l->t != T_NUM) {
		error(l, "a number expected after %s", what);
		return -1;
	}
	*v = l->num;
	next(l);
	return 0;
}

/* program '{' STR { ';' popt } [';'] '}' */
static int
program(struct lex *l, struct svc *s)
{
	if (expect(l, '{') < 0)
		return -1;
	if (l->t != T_STR) {
		error(l, "the program's path expected%s", "");
		return -1;
	}
	s->program = strdup(l->text);
	next(l);
	while (is(l, ';')) {
		char kw[32];
		int r;

		next(l);
		if (is(l, '}'))
			break;
		if (l->t != T_IDENT) {
			error(l, "a program option expected%s", "");
			return -1;
		}
		copy(kw, sizeof(kw), l->text);
		next(l);
		if (strcmp(kw, "argv") == 0)
			r = strlist(l, s->argv, SVC_ARGMAX, "argv");
		else if (strcmp(kw, "environ") == 0)
			r = strlist(l, s->env, SVC_ENVMAX, "environ");
		else if (strcmp(kw, "capv") == 0)
			r = capvlist(l, s);
		else if (strcmp(kw, "stack") == 0)
			r = number(l, &s->stack, "stack");
		else {
			error(l, "unknown program option '%s'", kw);
			r = -1;
		}
		if (r < 0)
			return -1;
	}
	return expect(l, '}');
}

static int
option(struct lex *l, struct svc *s)
{
	char kw[32];

	if (l->t != T_IDENT) {
		error(l, "an option expected in service '%s'", s->name);
		return -1;
	}
	copy(kw, sizeof(kw), l->text);
	next(l);
	if (strcmp(kw, "down") == 0) {
		s->down = 1;
		return 0;
	}
	if (strcmp(kw, "bootrate") == 0)
		return number(l, &s->bootrate, "bootrate");
	if (strcmp(kw, "pollrate") == 0)
		return number(l, &s->pollrate, "pollrate");
	if (strcmp(kw, "program") == 0)
		return program(l, s);
	if (strcmp(kw, "after") == 0 || strcmp(kw, "machine") == 0 ||
	    strcmp(kw, "pollcap") == 0) {
		if (l->t != T_IDENT && l->t != T_STR) {
			error(l, "a name expected after %s", kw);
			return -1;
		}
		if (kw[0] == 'a')
			copy(s->after, sizeof(s->after), l->text);
		else if (kw[0] == 'm')
			copy(s->machine, sizeof(s->machine), l->text);
		else
			s->pollref = strdup(l->text);
		next(l);
		return 0;
	}
	error(l, "unknown option '%s'", kw);
	return -1;
}

static void
free_list(char **v)
{
	for (; *v != NULL; v++) {
		free(*v);
		*v = NULL;
	}
}

/* Free what the parser allocated for s. */
static void
svc_free(struct svc *s)
{
	free(s->program);
	free(s->pollref);
	free_list(s->argv);
	free_list(s->env);
	for (int i = 0; i < s->ncap; i++) {
		free(s->capv[i].name);
		free(s->capv[i].ref);
	}
	memset(s, 0, sizeof(*s));
}

/* conf_free: free everything conf_parse allocated in c. */
void
conf_free(struct conf *c)
{
	for (int i = 0; i < c->nsvc; i++)
		svc_free(&c->svc[i]);
	free_list(c->env);
	c->nsvc = 0;
}

static struct svc *
find(struct conf *c, const char *name)
{
	for (int i = 0; i < c->nsvc; i++)
		if (strcmp(c->svc[i].name, name) == 0)
			return &c->svc[i];
	return NULL;
}

/* IDENT '{' { option ';' } '}' ';' - kept only when all of it parses. */
static int
service(struct lex *l, struct conf *c)
{
	struct svc *s = &c->svc[c->nsvc];

	memset(s, 0, sizeof(*s));
	s->line = l->line;
	s->ncap = -1;
	s->pollrate = SVC_POLLRATE;
	s->bootrate = SVC_BOOTRATE;
	if (strlen(l->text) >= SVC_NAMELEN) {
		error(l, "service name '%s' too long", l->text);
		return -1;
	}
	if (find(c, l->text) != NULL) {
		error(l, "service '%s' defined twice", l->text);
		return -1;
	}
	if (c->nsvc == SVC_MAX) {
		error(l, "more than %s services", "50");
		return -1;
	}
	copy(s->name, sizeof(s->name), l->text);
	next(l);
	if (expect(l, '{') < 0)
		return -1;
	while (!is(l, '}')) {
		if (option(l, s) < 0 || expect(l, ';') < 0)
			return -1;
	}
	next(l);
	if (s->program == NULL) {
		error(l, "service '%s' has no program", s->name);
		return -1;
	}
	if (s->argv[0] == NULL) {
		const char *b = strrchr(s->program, '/');

		s->argv[0] = strdup(b != NULL ? b + 1 : s->program);
	}
	if (!is(l, ';')) {
		error(l, "';' expected after service '%s'", s->name);
		return -1;
	}
	next(l);
	c->nsvc++;
	return 0;
}

static int
statement(struct lex *l, struct conf *c)
{
	if (l->t == T_BAD) {
		error(l, "%s", l->why);
		return -1;
	}
	if (l->t != T_IDENT) {
		error(l, "a service name or 'environ' expected%s", "");
		return -1;
	}
	if (strcmp(l->text, "environ") == 0) {
		next(l);
		if (strlist(l, c->env, SVC_ENVMAX, "environ") < 0)
			return -1;
		return expect(l, ';');
	}
	return service(l, c);
}

/*
 * conf_parse: parse text into c (which starts empty).  Each error is
 * passed to err with its line; the statement in error is dropped and
 * parsing goes on.  An `after` naming no service is an error too (the
 * service is kept and starts without waiting).  Returns the number of
 * errors.
 */
int
conf_parse(const char *text, struct conf *c, conf_err_fn err)
{
	struct lex l = { .p = text, .line = 1, .err = err };

	memset(c, 0, sizeof(*c));
	next(&l);
	while (l.t != T_EOF) {
		if (statement(&l, c) < 0) {
			if (c->nsvc < SVC_MAX)	/* a service in error */
				svc_free(&c->svc[c->nsvc]);
			recover(&l);
		}
	}
	for (int i = 0; i < c->nsvc; i++) {
		struct svc *s = &c->svc[i];

		if (s->after[0] != 0 && find(c, s->after) == NULL) {
			l.line = s->line;
			error(&l, "service '%s' is after no such service",
			      s->name);
			s->after[0] = 0;
		}
	}
	c->errors = l.errors;
	return l.errors;
}

/* conf_default: the built-in configuration (no errors: returns 0). */
int
conf_default(struct conf *c)
{
	return conf_parse(conf_default_text, c, NULL);
}
