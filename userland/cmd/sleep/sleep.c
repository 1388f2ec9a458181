/*
 * sleep - wait the given number of seconds (a decimal fraction such as
 * 0.5 is allowed), then exit 0.
 *
 *   sleep seconds
 */
#include <stdio.h>
#include <stdlib.h>

#include <amoeba.h>
#include <module/syscall.h>

int
main(int argc, char **argv)
{
	char *end;
	double s;

	if (argc != 2 || (s = strtod(argv[1], &end), *end != '\0') ||
	    s < 0 || s > 86400) {
		fprintf(stderr, "usage: sleep seconds\n");
		return 1;
	}
	sys_sleep((interval)(s * 1000));
	return 0;
}
