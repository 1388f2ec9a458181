/*
 * cat.c - copy standard input to standard output until end of file
 * (^D at the start of a line on a terminal), then exit 0.  With
 * arguments, print them first, one per line.
 */
#include <stdio.h>

int
main(int argc, char **argv)
{
	char line[256];

	for (int i = 1; i < argc; i++)
		printf("%s\n", argv[i]);
	while (fgets(line, sizeof(line), stdin))
		fputs(line, stdout);
	return ferror(stdin) ? 1 : 0;
}
