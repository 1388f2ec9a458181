/*
 * test_sh.c - host unit test of the shell's portable core
 * (userland/cmd/sh: sh_parse.c, sh_expand.c, sh_vars.c, sh_edit.c):
 * parse trees and syntax errors, quoting and variable expansion, glob
 * matching and globbing in a scratch directory, the variable table and
 * the line editor's keys and history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "check.h"
#include "sh.h"

static char err[SH_ERRMAX];

/* The words of command k of pipe j of item i, joined by '|'. */
static const char *
words(const struct sh_prog *p, int i, int j, int k)
{
	static char buf[256];
	const struct sh_cmd *c;

	buf[0] = '\0';
	if (i >= p->nitems || j >= p->items[i].npipes ||
	    k >= p->items[i].pipes[j].ncmds)
		return "(none)";
	c = &p->items[i].pipes[j].cmds[k];
	for (int w = 0; w < c->nwords; w++) {
		if (w > 0)
			strcat(buf, "|");
		strcat(buf, c->words[w]);
	}
	return buf;
}

static int
parses(const char *s, struct sh_prog *p)
{
	return sh_parse(s, p, err, sizeof(err)) == 0;
}

/* s fails to parse with a message containing want. */
static int
fails(const char *s, const char *want)
{
	struct sh_prog p;

	if (sh_parse(s, &p, err, sizeof(err)) == 0) {
		sh_prog_free(&p);
		return 0;
	}
	if (strstr(err, want) == NULL)
		printf("# %s -> %s\n", s, err);
	return strstr(err, want) != NULL && p.nitems == 0;
}

static void
test_parse(void)
{
	struct sh_prog p;

	CHECK(parses("echo a  b\tc", &p) && p.nitems == 1 &&
	      strcmp(words(&p, 0, 0, 0), "echo|a|b|c") == 0,
	      "parse: simple command, blanks separate words");
	sh_prog_free(&p);
	CHECK(parses("a | b|c", &p) && p.items[0].pipes[0].ncmds == 3 &&
	      strcmp(words(&p, 0, 0, 2), "c") == 0, "parse: a pipeline of three");
	sh_prog_free(&p);
	CHECK(parses("a && b || c; d & e\nf", &p) && p.nitems == 4 &&
	      p.items[0].npipes == 3 && p.items[0].pipes[0].op == SH_AND &&
	      p.items[0].pipes[1].op == SH_OR && p.items[1].background &&
	      !p.items[2].background && p.items[3].line == 2,
	      "parse: && || ; & and newlines");
	sh_prog_free(&p);
	CHECK(parses("cat <in >out 2>err >>app x", &p) &&
	      p.items[0].pipes[0].cmds[0].nredirs == 4 &&
	      p.items[0].pipes[0].cmds[0].redirs[0].type == SH_RIN &&
	      p.items[0].pipes[0].cmds[0].redirs[1].type == SH_ROUT &&
	      p.items[0].pipes[0].cmds[0].redirs[2].type == SH_RERR &&
	      p.items[0].pipes[0].cmds[0].redirs[3].type == SH_RAPPEND &&
	      strcmp(p.items[0].pipes[0].cmds[0].redirs[3].word, "app") == 0 &&
	      strcmp(words(&p, 0, 0, 0), "cat|x") == 0,
	      "parse: redirections < > 2> >>");
	sh_prog_free(&p);
	CHECK(parses("echo 'a b' \"c $d\" e\\ f # comment | x", &p) &&
	      strcmp(words(&p, 0, 0, 0), "echo|'a b'|\"c $d\"|e\\ f") == 0,
	      "parse: quotes kept in words, comment dropped");
	sh_prog_free(&p);
	CHECK(parses("a |\n b", &p) && p.items[0].pipes[0].ncmds == 2,
	      "parse: a pipe continues on the next line");
	sh_prog_free(&p);
	CHECK(parses("", &p) && p.nitems == 0, "parse: empty input");
	CHECK(parses("  # only a comment\n\n", &p) && p.nitems == 0,
	      "parse: comment lines");
	CHECK(parses("x=1 y=2", &p) && strcmp(words(&p, 0, 0, 0), "x=1|y=2") == 0,
	      "parse: assignments are words");
	sh_prog_free(&p);
	CHECK(fails("echo 'abc", "unclosed ' quote"), "error: unclosed '");
	CHECK(fails("echo \"abc", "unclosed \" quote"), "error: unclosed \"");
	CHECK(fails("ls |", "`|' at the end"), "error: | at the end");
	CHECK(fails("ls &&", "`&&' at the end"), "error: && at the end");
	CHECK(fails("echo >", "`>' without a file"), "error: > without a file");
	CHECK(fails("cat < | x", "`<' without a file"), "error: < then |");
	CHECK(fails("| ls", "unexpected `|'"), "error: | at the start");
	CHECK(fails("a ;; b", "unexpected `;'"), "error: ;;");
	CHECK(fails("a\nb |", "line 2"), "error: the line number is given");
}

/* Expand w into one string, fields joined by '|'. */
static const char *
expand(const char *w, int glob)
{
	static char buf[512];
	struct sh_fields f = { 0 };

	if (sh_expand(w, &f, glob, err, sizeof(err)) < 0)
		return "(error)";
	buf[0] = '\0';
	for (int i = 0; i < f.n; i++) {
		if (i > 0)
			strcat(buf, "|");
		strcat(buf, f.v[i]);
	}
	sh_fields_free(&f);
	return buf;
}

static void
test_expand(void)
{
	char *env[] = { "HOME=/home/u", "X=a b", "STAR=*", NULL };

	sh_var_init(env);
	sh_status = 3;
	CHECK(strcmp(expand("'a $X'", 0), "a $X") == 0, "expand: '' is literal");
	CHECK(strcmp(expand("\"<$X>\"", 0), "<a b>") == 0,
	      "expand: $X in \"\", one field");
	CHECK(strcmp(expand("$X", 0), "a b") == 0, "expand: no field splitting");
	CHECK(strcmp(expand("${X}y$?", 0), "a by3") == 0, "expand: ${X} and $?");
	CHECK(strcmp(expand("$NONE.", 0), ".") == 0, "expand: unset is empty");
	CHECK(strcmp(expand("a\\ b\\$X", 0), "a b$X") == 0, "expand: \\ quotes");
	CHECK(strcmp(expand("\"\\$X \\a\"", 0), "$X \\a") == 0,
	      "expand: \\ in \"\" quotes only $ \" \\ `");
	CHECK(strcmp(expand("~/f", 0), "/home/u/f") == 0, "expand: ~");
	CHECK(strcmp(expand("a$", 0), "a$") == 0, "expand: lone $");
	{
		char *args[] = { "s.sh", "one", "two words", NULL };

		sh_args = args;
		sh_nargs = 3;
		CHECK(strcmp(expand("$0:$1:$2:$3:$#", 0),
			     "s.sh:one:two words::2") == 0,
		      "expand: $0..$9 and $#");
		CHECK(strcmp(expand("[$*]${2}x", 0), "[one two words]two wordsx")
			      == 0, "expand: $* and ${N}");
		CHECK(strcmp(expand("${2x}", 0), "(error)") == 0,
		      "expand: ${2x} is an error");
		sh_args = NULL;
		sh_nargs = 0;
		CHECK(strcmp(expand("$1$#", 0), "0") == 0,
		      "expand: no arguments");
	}
	CHECK(strcmp(expand("${X", 0), "(error)") == 0 &&
	      strstr(err, "bad substitution") != NULL,
	      "expand: unclosed ${ is an error");
	CHECK(strcmp(expand("${1x}", 0), "(error)") == 0,
	      "expand: bad name in ${} is an error");
}

static void
test_match(void)
{
	CHECK(sh_match("*.c", "a.c") && !sh_match("*.c", "a.h"), "match: *");
	CHECK(sh_match("a?c", "abc") && !sh_match("a?c", "ac"), "match: ?");
	CHECK(sh_match("[a-c]x", "bx") && !sh_match("[a-c]x", "dx"),
	      "match: range");
	CHECK(sh_match("[!a]", "b") && !sh_match("[!a]", "a"), "match: [!..]");
	CHECK(sh_match("\\*", "*") && !sh_match("\\*", "x"), "match: \\*");
	CHECK(sh_match("*a*b*", "xxaxxbxx") && !sh_match("*a*b", "ba"),
	      "match: several stars, backtracking");
	CHECK(sh_match("[", "[") && !sh_match("[a", "a"), "match: lone [");
	CHECK(sh_match("*", "") && sh_match("", "") && !sh_match("", "a"),
	      "match: empty strings");
}

static void
touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f != NULL)
		fclose(f);
}

static void
test_glob(void)
{
	char tmpl[] = "/tmp/test_sh.XXXXXX", old[1024];
	char *dir = mkdtemp(tmpl), pat[256], want[512];

	if (!CHECK(dir != NULL && getcwd(old, sizeof(old)) != NULL &&
		   chdir(dir) == 0, "glob: scratch directory"))
		return;
	touch("b.c");
	touch("a.c");
	touch("c.h");
	touch(".hid.c");
	mkdir("sub", 0700);
	touch("sub/x.c");
	touch("sub/y.o");
	CHECK(strcmp(expand("*.c", 1), "a.c|b.c") == 0,
	      "glob: *.c sorted, no dot files");
	CHECK(strcmp(expand(".*.c", 1), ".hid.c") == 0, "glob: .* shows dot files");
	CHECK(strcmp(expand("*/*.c", 1), "sub/x.c") == 0, "glob: two components");
	CHECK(strcmp(expand("'*'.c", 1), "*.c") == 0, "glob: quoted * does not glob");
	CHECK(strcmp(expand("$STAR", 1), "*") == 0, "glob: a value does not glob");
	CHECK(strcmp(expand("*.zz", 1), "*.zz") == 0, "glob: no match keeps the word");
	CHECK(strcmp(expand("*.c", 0), "*.c") == 0, "glob: off when asked");
	CHECK(strcmp(expand("sub/[xy].?", 1), "sub/x.c|sub/y.o") == 0,
	      "glob: [..] and ? in a subdirectory");
	snprintf(pat, sizeof(pat), "%s/s*/*.o", dir);
	snprintf(want, sizeof(want), "%s/sub/y.o", dir);
	CHECK(strcmp(expand(pat, 1), want) == 0, "glob: absolute pattern");
	CHECK(strcmp(expand("nosuch/*", 1), "nosuch/*") == 0,
	      "glob: missing directory keeps the word");
	unlink("a.c");
	unlink("b.c");
	unlink("c.h");
	unlink(".hid.c");
	unlink("sub/x.c");
	unlink("sub/y.o");
	rmdir("sub");
	CHECK(chdir(old) == 0 && rmdir(dir) == 0, "glob: cleaned up");
}

static void
test_vars(void)
{
	char *extra[] = { "Z=9", "HOME=/x", NULL };
	char **envp;
	int has_z = 0, home_x = 0, has_loc = 0, n = 0;

	CHECK(sh_var_set("LOC", "1", 0) == 0 && strcmp(sh_var_get("LOC"), "1") == 0,
	      "vars: set and get");
	CHECK(sh_var_set("1bad", "1", 0) < 0 && sh_var_set("a-b", "", 0) < 0,
	      "vars: bad names refused");
	envp = sh_var_envp(extra);
	for (; envp[n] != NULL; n++) {
		has_z |= strcmp(envp[n], "Z=9") == 0;
		home_x += strncmp(envp[n], "HOME=", 5) == 0 ?
				  (strcmp(envp[n], "HOME=/x") == 0 ? 1 : 100) : 0;
		has_loc |= strncmp(envp[n], "LOC=", 4) == 0;
	}
	sh_var_freeenvp(envp);
	CHECK(has_z && home_x == 1 && !has_loc,
	      "vars: envp has exported ones, extra overrides, locals stay out");
	sh_var_export("LOC");
	envp = sh_var_envp(NULL);
	has_loc = 0;
	for (n = 0; envp[n] != NULL; n++)
		has_loc |= strcmp(envp[n], "LOC=1") == 0;
	sh_var_freeenvp(envp);
	CHECK(has_loc, "vars: export puts it in envp");
	sh_var_unset("LOC");
	CHECK(sh_var_get("LOC") == NULL, "vars: unset");
}

static char screen[4096];

static void
ed_out(void *arg, const char *s, size_t n)
{
	(void)arg;
	strncat(screen, s, n);
}

static int
keys(struct sh_edit *e, const char *s)
{
	int r = SH_ED_MORE;

	for (; *s != '\0'; s++)
		r = sh_edit_key(e, (unsigned char)*s);
	return r;
}

static void
test_edit(void)
{
	static struct sh_edit e;

	sh_edit_init(&e, ed_out, NULL);
	sh_edit_start(&e);
	CHECK(keys(&e, "ecx\x7fho hi\n") == SH_ED_LINE &&
	      strcmp(e.buf, "echo hi") == 0, "edit: backspace");
	CHECK(strstr(screen, "\b \b") != NULL, "edit: backspace erases on screen");
	sh_edit_addhist(&e, e.buf);
	sh_edit_start(&e);
	CHECK(keys(&e, "junk\x15ls\n") == SH_ED_LINE && strcmp(e.buf, "ls") == 0,
	      "edit: ^U kills the line");
	sh_edit_addhist(&e, e.buf);
	sh_edit_start(&e);
	CHECK(keys(&e, "ac\x1b[Db\n") == SH_ED_LINE && strcmp(e.buf, "abc") == 0,
	      "edit: left arrow, insert in the middle");
	sh_edit_start(&e);
	CHECK(keys(&e, "x\x1b[D\x1b[Cy\n") == SH_ED_LINE &&
	      strcmp(e.buf, "xy") == 0, "edit: right arrow");
	sh_edit_start(&e);
	CHECK(keys(&e, "\x1b[A\x1b[A\n") == SH_ED_LINE &&
	      strcmp(e.buf, "echo hi") == 0, "edit: up up = the older line");
	sh_edit_start(&e);
	CHECK(keys(&e, "new\x1b[A\x1b[B\n") == SH_ED_LINE &&
	      strcmp(e.buf, "new") == 0, "edit: down back to the new line");
	sh_edit_start(&e);
	CHECK(keys(&e, "\x04") == SH_ED_EOF, "edit: ^D on an empty line");
	sh_edit_start(&e);
	CHECK(keys(&e, "a\x04") == SH_ED_MORE, "edit: ^D in a line is ignored");
	CHECK(keys(&e, "\x03") == SH_ED_CANCEL && e.len == 0, "edit: ^C");
	sh_edit_addhist(&e, "ls");
	CHECK(e.nhist == 2, "edit: a repeated line is kept once");
	for (int i = 0; i < SH_HISTMAX + 5; i++) {
		char l[16];

		snprintf(l, sizeof(l), "c%d", i);
		sh_edit_addhist(&e, l);
	}
	CHECK(e.nhist == SH_HISTMAX && strcmp(e.hist[SH_HISTMAX - 1], "c104") == 0,
	      "edit: history keeps the newest SH_HISTMAX");
	sh_edit_start(&e);
	for (int i = 0; i < SH_LINEMAX + 10; i++)
		sh_edit_key(&e, 'x');
	CHECK(e.len == SH_LINEMAX - 1, "edit: a long line is cut, not overrun");
	for (int i = 0; i < SH_HISTMAX; i++)
		free(e.hist[i]);
}

int
main(void)
{
	test_parse();
	test_expand();
	test_match();
	test_glob();
	test_vars();
	test_edit();
	return TEST_DONE();
}
