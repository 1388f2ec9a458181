/*
 * wc - count lines, words and bytes of files or of standard input.
 *
 *   wc [-lwc] [file ...]
 *
 * Prints "lines words bytes [name]" per file (only the counts asked for
 * with -l, -w, -c), and a total line for more than one file.  Exit 1
 * when a file could not be read.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 16384

static int show_l, show_w, show_c;
static unsigned long tot[3];

static void
print(const unsigned long n[3], const char *name)
{
	const int show[3] = { show_l, show_w, show_c };
	int first = 1;

	for (int i = 0; i < 3; i++)
		if (show[i]) {
			printf(first ? "%lu" : " %lu", n[i]);
			first = 0;
		}
	printf(name ? " %s\n" : "\n", name);
}

/* Count fd; -1 on a read error. */
static int
count(int fd, const char *name)
{
	static char buf[CHUNK];
	unsigned long n[3] = { 0, 0, 0 };
	int r, inword = 0;

	while ((r = read(fd, buf, CHUNK)) > 0) {
		n[2] += (unsigned long)r;
		for (int i = 0; i < r; i++) {
			if (buf[i] == '\n')
				n[0]++;
			if (isspace((unsigned char)buf[i])) {
				inword = 0;
			} else if (!inword) {
				inword = 1;
				n[1]++;
			}
		}
	}
	if (r < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		tot[i] += n[i];
	print(n, name);
	return 0;
}

int
main(int argc, char **argv)
{
	int c, fd, status = 0;

	while ((c = getopt(argc, argv, "lwc")) != -1) {
		switch (c) {
		case 'l':
			show_l = 1;
			break;
		case 'w':
			show_w = 1;
			break;
		case 'c':
			show_c = 1;
			break;
		default:
			fprintf(stderr, "usage: wc [-lwc] [file ...]\n");
			return 1;
		}
	}
	if (!show_l && !show_w && !show_c)
		show_l = show_w = show_c = 1;
	if (optind == argc) {
		if (count(0, NULL) < 0) {
			fprintf(stderr, "wc: standard input: read error\n");
			return 1;
		}
		return 0;
	}
	for (int i = optind; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0 || count(fd, argv[i]) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	if (argc - optind > 1)
		print(tot, "total");
	return status;
}
