/*
 * echo - print the arguments, separated by blanks, and a newline.
 *
 *   echo [-n] [arg ...]
 *
 * -n: no newline.  The shell has echo built in; this program is for
 * other nodes (`-m NODE echo ...`) and for programs that start it.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	int i = 1, nl = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		nl = 0;
		i++;
	}
	for (int first = i; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (nl)
		putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
