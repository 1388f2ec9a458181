/*
 * sh_parse.c - the shell's lexer and parser (portable: VX and host).
 *
 * Grammar (no compound commands):
 *
 *   program  := item ((';' | '&' | newline) item)*
 *   item     := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline := command ('|' newline* command)*
 *   command  := (word | redir)+
 *   redir    := ('<' | '>' | '>>' | '2>') word
 *
 * Words keep their quotes: sh_expand removes them when the command
 * runs, so that globbing knows which characters were quoted.  '#' at the
 * start of a word starts a comment.  Entry point: sh_parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

enum tok { T_WORD, T_PIPE, T_OR, T_AMP, T_AND, T_SEMI, T_NL, T_IN, T_OUT,
	   T_APPEND, T_ERR, T_END };

static const char *const tok_text[] = { "word", "|", "||", "&", "&&", ";",
					"newline", "<", ">", ">>", "2>",
					"end of input" };

struct lexer {
	const char *s;			/* the text */
	size_t i;			/* next character */
	int line;			/* current line number */
	enum tok tok;			/* the current token */
	char *word;			/* its text for T_WORD (malloc'ed) */
	int tokline;			/* line the token is on */
	char *err;
	size_t errlen;
};

static int
lex_fail(struct lexer *lx, const char *msg)
{
	snprintf(lx->err, lx->errlen, "line %d: %s", lx->line, msg);
	return -1;
}

static int
is_opchar(char c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' ||
	       c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\0';
}

/* Skip a quoted part starting at s[i] (a quote); the index after it, or
 * 0 when it is not closed. */
static size_t
skip_quote(struct lexer *lx, size_t i)
{
	char q = lx->s[i++];

	for (; lx->s[i] != '\0'; i++) {
		if (lx->s[i] == '\n')
			lx->line++;
		if (q == '"' && lx->s[i] == '\\' && lx->s[i + 1] != '\0')
			i++;
		else if (lx->s[i] == q)
			return i + 1;
	}
	return 0;
}

/* A word from s[lx->i]: up to an unquoted operator character or blank. */
static int
lex_word(struct lexer *lx)
{
	size_t start = lx->i, i = lx->i, n;

	while (!is_opchar(lx->s[i])) {
		if (lx->s[i] == '\'' || lx->s[i] == '"') {
			if ((n = skip_quote(lx, i)) == 0)
				return lex_fail(lx, lx->s[i] == '"' ?
						"unclosed \" quote" :
						"unclosed ' quote");
			i = n;
		} else if (lx->s[i] == '\\') {
			if (lx->s[i + 1] == '\n')
				lx->line++;
			i += lx->s[i + 1] != '\0' ? 2 : 1;
		} else {
			i++;
		}
	}
	lx->word = malloc(i - start + 1);
	if (lx->word == NULL)
		return lex_fail(lx, "out of memory");
	memcpy(lx->word, lx->s + start, i - start);
	lx->word[i - start] = '\0';
	lx->i = i;
	lx->tok = T_WORD;
	return 0;
}

/* The next token into lx->tok (and lx->word). */
static int
lex_next(struct lexer *lx)
{
	const char *s = lx->s;

	free(lx->word);
	lx->word = NULL;
	for (;;) {
		while (s[lx->i] == ' ' || s[lx->i] == '\t' || s[lx->i] == '\r')
			lx->i++;
		if (s[lx->i] == '\\' && s[lx->i + 1] == '\n') {
			lx->i += 2;		/* a continued line */
			lx->line++;
			continue;
		}
		if (s[lx->i] != '#')
			break;
		while (s[lx->i] != '\n' && s[lx->i] != '\0')
			lx->i++;
	}
	lx->tokline = lx->line;
	switch (s[lx->i]) {
	case '\0':
		lx->tok = T_END;
		return 0;
	case '\n':
		lx->line++;
		lx->tok = T_NL;
		break;
	case ';':
		lx->tok = T_SEMI;
		break;
	case '<':
		lx->tok = T_IN;
		break;
	case '|':
		lx->tok = s[lx->i + 1] == '|' ? T_OR : T_PIPE;
		break;
	case '&':
		lx->tok = s[lx->i + 1] == '&' ? T_AND : T_AMP;
		break;
	case '>':
		lx->tok = s[lx->i + 1] == '>' ? T_APPEND : T_OUT;
		break;
	case '2':
		if (s[lx->i + 1] == '>') {
			lx->tok = T_ERR;
			lx->i++;
			break;
		}
		/* fall through */
	default:
		return lex_word(lx);
	}
	lx->i += (lx->tok == T_OR || lx->tok == T_AND || lx->tok == T_APPEND)
			 ? 2 : 1;
	return 0;
}

/* ---- growing arrays ------------------------------------------------------ */

static void *
grow(void *v, int n, size_t size)
{
	/* room for n + 2 elements, doubling at powers of two */
	if (n > 0 && (n & (n - 1)) != 0)
		return v;
	return realloc(v, (size_t)(n ? 2 * n + 2 : 4) * size);
}

static void
cmd_free(struct sh_cmd *c)
{
	for (int i = 0; i < c->nwords; i++)
		free(c->words[i]);
	for (int i = 0; i < c->nredirs; i++)
		free(c->redirs[i].word);
	free(c->words);
	free(c->redirs);
}

void
sh_prog_free(struct sh_prog *prog)
{
	for (int i = 0; i < prog->nitems; i++) {
		struct sh_andor *a = &prog->items[i];

		for (int j = 0; j < a->npipes; j++) {
			for (int k = 0; k < a->pipes[j].ncmds; k++)
				cmd_free(&a->pipes[j].cmds[k]);
			free(a->pipes[j].cmds);
		}
		free(a->pipes);
	}
	free(prog->items);
	prog->items = NULL;
	prog->nitems = 0;
}

/* ---- parser ---------------------------------------------------------------- */

static int
syntax(struct lexer *lx, const char *what)
{
	snprintf(lx->err, lx->errlen, "line %d: syntax error: %s",
		 lx->tokline, what);
	return -1;
}

static int
unexpected(struct lexer *lx)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "unexpected `%s'", tok_text[lx->tok]);
	return syntax(lx, msg);
}

static int
parse_redir(struct lexer *lx, struct sh_cmd *c)
{
	static const enum sh_rtype types[] = { [T_IN] = SH_RIN,
		[T_OUT] = SH_ROUT, [T_APPEND] = SH_RAPPEND, [T_ERR] = SH_RERR };
	enum tok op = lx->tok;
	char msg[64];
	void *v;

	if (lex_next(lx) < 0)
		return -1;
	if (lx->tok != T_WORD) {
		snprintf(msg, sizeof(msg), "`%s' without a file name",
			 tok_text[op]);
		return syntax(lx, msg);
	}
	if ((v = grow(c->redirs, c->nredirs, sizeof(*c->redirs))) == NULL)
		return lex_fail(lx, "out of memory");
	c->redirs = v;
	c->redirs[c->nredirs].type = types[op];
	c->redirs[c->nredirs++].word = lx->word;
	lx->word = NULL;
	return lex_next(lx);
}

/* A simple command into *c (zeroed by the caller). */
static int
parse_cmd(struct lexer *lx, struct sh_cmd *c)
{
	void *v;

	for (;;) {
		if (lx->tok == T_WORD) {
			v = grow(c->words, c->nwords, sizeof(*c->words));
			if (v == NULL)
				return lex_fail(lx, "out of memory");
			c->words = v;
			c->words[c->nwords++] = lx->word;
			c->words[c->nwords] = NULL;
			lx->word = NULL;
			if (lex_next(lx) < 0)
				return -1;
		} else if (lx->tok == T_IN || lx->tok == T_OUT ||
			   lx->tok == T_APPEND || lx->tok == T_ERR) {
			if (parse_redir(lx, c) < 0)
				return -1;
		} else {
			break;
		}
	}
	if (c->nwords == 0 && c->nredirs == 0)
		return unexpected(lx);
	return 0;
}

/* Skip newlines after | && || (the command goes on on the next line). */
static int
skip_newlines(struct lexer *lx, enum tok after)
{
	char msg[64];

	while (lx->tok == T_NL)
		if (lex_next(lx) < 0)
			return -1;
	if (lx->tok == T_END) {
		snprintf(msg, sizeof(msg), "`%s' at the end",
			 tok_text[after]);
		return syntax(lx, msg);
	}
	return 0;
}

static int
parse_pipe(struct lexer *lx, struct sh_pipe *p)
{
	void *v;

	for (;;) {
		if ((v = grow(p->cmds, p->ncmds, sizeof(*p->cmds))) == NULL)
			return lex_fail(lx, "out of memory");
		p->cmds = v;
		memset(&p->cmds[p->ncmds], 0, sizeof(*p->cmds));
		if (parse_cmd(lx, &p->cmds[p->ncmds++]) < 0)
			return -1;
		if (lx->tok != T_PIPE)
			return 0;
		if (lex_next(lx) < 0 || skip_newlines(lx, T_PIPE) < 0)
			return -1;
	}
}

static int
parse_andor(struct lexer *lx, struct sh_andor *a)
{
	enum tok op;
	void *v;

	a->line = lx->tokline;
	for (;;) {
		if ((v = grow(a->pipes, a->npipes, sizeof(*a->pipes))) == NULL)
			return lex_fail(lx, "out of memory");
		a->pipes = v;
		memset(&a->pipes[a->npipes], 0, sizeof(*a->pipes));
		if (parse_pipe(lx, &a->pipes[a->npipes++]) < 0)
			return -1;
		if (lx->tok != T_AND && lx->tok != T_OR)
			break;
		op = lx->tok;
		a->pipes[a->npipes - 1].op = op == T_AND ? SH_AND : SH_OR;
		if (lex_next(lx) < 0 || skip_newlines(lx, op) < 0)
			return -1;
	}
	if (lx->tok == T_AMP)
		a->background = 1;
	return 0;
}

int
sh_parse(const char *text, struct sh_prog *prog, char *err, size_t errlen)
{
	struct lexer lx = { .s = text, .line = 1, .err = err,
			    .errlen = errlen };
	void *v;
	int r = 0;

	prog->items = NULL;
	prog->nitems = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (lex_next(&lx) < 0)
		return -1;
	while (lx.tok != T_END && r == 0) {
		if (lx.tok == T_NL) {
			r = lex_next(&lx);
			continue;
		}
		v = grow(prog->items, prog->nitems, sizeof(*prog->items));
		if (v == NULL) {
			r = lex_fail(&lx, "out of memory");
			break;
		}
		prog->items = v;
		memset(&prog->items[prog->nitems], 0, sizeof(*prog->items));
		r = parse_andor(&lx, &prog->items[prog->nitems++]);
		if (r == 0 && lx.tok != T_END) {
			if (lx.tok != T_SEMI && lx.tok != T_AMP &&
			    lx.tok != T_NL)
				r = unexpected(&lx);
			else
				r = lex_next(&lx);
		}
	}
	free(lx.word);
	if (r < 0)
		sh_prog_free(prog);
	return r;
}
