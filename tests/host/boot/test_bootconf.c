/*
 * test_bootconf.c - host test of the boot server's configuration parser
 * (userland/servers/boot/conf.c): a full service, the built-in default,
 * and bad text: each error reported with its line, the statement in
 * error dropped, the good services kept.
 */
#include "userland/servers/boot/conf.c"

#include "check.h"

static int nerr;
static int errline[16];
static char errmsg[16][200];

static void
on_error(int line, const char *msg)
{
	if (nerr < 16) {
		errline[nerr] = line;
		snprintf(errmsg[nerr], sizeof(errmsg[nerr]), "%s", msg);
	}
	nerr++;
}

static struct conf c;

static void
full(void)
{
	static const char text[] =
		"# a comment\n"
		"environ { \"TERM=vt100\" };\n"
		"echo {\n"
		"  machine \"n2\";   # another node\n"
		"  after sh;\n"
		"  pollrate 2000; bootrate 500;\n"
		"  program { \"/bin/echo\"; argv { \"echo\", \"a b\", \"\\\"q\\\"\" };\n"
		"            environ { \"X=1\" }; stack 65536;\n"
		"            capv { STDOUT, ROOT = \"/home\", T = \"kdir:n2/tty\" }; };\n"
		"};\n"
		"sh { down; program { \"/bin/sh\" }; };\n";
	struct svc *s = &c.svc[0];

	nerr = 0;
	CHECK(conf_parse(text, &c, on_error) == 0 && nerr == 0,
	      "a full configuration parses without errors");
	CHECK(c.nsvc == 2 && strcmp(s->name, "echo") == 0 &&
	      strcmp(c.svc[1].name, "sh") == 0, "two services, in order");
	CHECK(strcmp(s->machine, "n2") == 0 && strcmp(s->after, "sh") == 0 &&
	      s->pollrate == 2000 && s->bootrate == 500 && s->stack == 65536,
	      "machine, after, pollrate, bootrate, stack");
	CHECK(strcmp(s->program, "/bin/echo") == 0 &&
	      strcmp(s->argv[1], "a b") == 0 &&
	      strcmp(s->argv[2], "\"q\"") == 0 && s->argv[3] == NULL,
	      "program and argv with quoting");
	CHECK(strcmp(s->env[0], "X=1") == 0 &&
	      strcmp(c.env[0], "TERM=vt100") == 0, "service and global environ");
	CHECK(s->ncap == 3 && strcmp(s->capv[0].name, "STDOUT") == 0 &&
	      s->capv[0].ref == NULL && strcmp(s->capv[1].ref, "/home") == 0 &&
	      strcmp(s->capv[2].ref, "kdir:n2/tty") == 0,
	      "capv: inherited and named entries");
	CHECK(c.svc[1].down && c.svc[1].ncap == -1 &&
	      strcmp(c.svc[1].argv[0], "sh") == 0 &&
	      c.svc[1].pollrate == SVC_POLLRATE,
	      "down, defaults: argv[0] from the program, every cap inherited");
}

static void
bad(void)
{
	static const char text[] =
		"a { program { \"/bin/a\" }; };\n"		/* 1 good */
		"b { progrm { \"/bin/b\" }; };\n"		/* 2 unknown option */
		"c { program { \"/bin/c\" }; };\n"		/* 3 good */
		"d { pollrate x; program { \"/bin/d\" }; };\n"	/* 4 no number */
		"a { program { \"/bin/a2\" }; };\n"		/* 5 twice */
		"e { after zz; program { \"/bin/e\" }; };\n"	/* 6 after none */
		"f { program { \"/bin/f\n"			/* 7 string */
		"}; };\n"
		"g { machine n1; };\n"				/* 9 no program */
		"h { program { \"/bin/h\" }; };\n";		/* 10 good */

	conf_free(&c);
	nerr = 0;
	conf_parse(text, &c, on_error);
	CHECK(c.nsvc == 4 && strcmp(c.svc[0].name, "a") == 0 &&
	      strcmp(c.svc[1].name, "c") == 0 &&
	      strcmp(c.svc[2].name, "e") == 0 &&
	      strcmp(c.svc[3].name, "h") == 0,
	      "bad text: the good services are kept (a, c, e, h)");
	CHECK(nerr == 6 && c.errors == 6, "bad text: six errors reported");
	CHECK(errline[0] == 2 && strstr(errmsg[0], "progrm") != NULL,
	      "line 2: unknown option named");
	CHECK(errline[1] == 4 && strstr(errmsg[1], "number") != NULL,
	      "line 4: a number expected");
	CHECK(errline[2] == 5 && strstr(errmsg[2], "twice") != NULL,
	      "line 5: service defined twice");
	CHECK(errline[3] == 7 && strstr(errmsg[3], "unterminated") != NULL,
	      "line 7: unterminated string");
	CHECK(errline[4] == 9 && strstr(errmsg[4], "no program") != NULL,
	      "line 9: service without a program");
	CHECK(errline[5] == 6 && strstr(errmsg[5], "zz") == NULL &&
	      strstr(errmsg[5], "'e'") != NULL && c.svc[2].after[0] == 0,
	      "line 6: after no such service; e starts without waiting");
	conf_free(&c);
	nerr = 0;
	CHECK(conf_parse("x { program { \"/bin/x\" } }", &c, on_error) == 1 &&
	      c.nsvc == 0 && nerr == 1, "a missing ';' at the end is reported");
	conf_free(&c);
	CHECK(conf_parse("", &c, on_error) == 0 && c.nsvc == 0,
	      "empty text: no services, no errors");
}

int
main(void)
{
	full();
	bad();
	CHECK(conf_default(&c) == 0 && c.nsvc == 1 &&
	      strcmp(c.svc[0].program, "/bin/sh") == 0 &&
	      c.svc[0].machine[0] == 0, "the built-in default: /bin/sh here");
	conf_free(&c);
	return TEST_DONE();
}
