/*
 * hello.c - the smallest VX program: greets, echoes its arguments and
 * environment, and exits 0.
 */
#include <stdio.h>

int
main(int argc, char **argv, char **envp)
{
	int i;

	printf("hello from VX user space\n");
	for (i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		printf("envp[%d] = %s\n", i, envp[i]);
	return 0;
}
