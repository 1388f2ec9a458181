/*
 * start.c - C start of a VX program: from the initial stack to main().
 *
 * crt0.S passes the initial stack of spec 8.4: argc, argv, envp, capv.
 * vx_start sets environ and the capability list, runs the constructors
 * (__libc_init_array) and leaves through exit(main(...)), so atexit
 * handlers run and stdio is flushed.  A missing argv becomes {"-", NULL}.
 * VX_STDOUT=block in the environment makes standard output fully
 * buffered (ax -near sets it: the output of a program that went to its
 * data comes back in blocks, not in one request per line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <caplist.h>
#include "user_impl.h"

extern char **environ;
extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);

struct caplist *vx_capv;

#define VX_OUTBLOCK	(16 * 1024)	/* VX_STDOUT=block buffer */

static void
block_stdout(void)
{
	const char *v = getenv("VX_STDOUT");

	if (v != NULL && strcmp(v, "block") == 0)
		setvbuf(stdout, NULL, _IOFBF, VX_OUTBLOCK);
}

void
vx_start(long *sp)
{
	static char *default_argv[] = { "-", NULL };
	int argc = (int)sp[0];
	char **argv = (char **)sp[1];
	char **envp = (char **)sp[2];

	vx_capv = (struct caplist *)sp[3];
	if (argv == NULL || argc <= 0) {
		argc = 1;
		argv = default_argv;
	}
	if (envp != NULL)
		environ = envp;
	else
		envp = environ;
	vx_lock_setup();
	vx_glue_setup();
	/* Amoeba programs find the working directory's path in $_WORK */
	if (getenv("_WORK") == NULL)
		setenv("_WORK", getenv("PWD") != NULL ? getenv("PWD") : "/", 1);
	__libc_init_array();
	block_stdout();
	exit(main(argc, argv, envp));
}
