/*
 * test_mkbootimg.c - host test of boot/tools/mkbootimg: pack a few files,
 * parse the image by the documented format (magic, count, 40-byte entries,
 * 4 KiB-aligned contents) and check names, offsets, sizes and bytes; bad
 * input (duplicate or over-long names, missing files) must be refused.
 */
#define main mkbootimg_main
#include "boot/tools/mkbootimg.c"
#undef main

#include <sys/wait.h>

#include "check.h"

static char dir[] = "/tmp/test_mkbootimg_XXXXXX";
static char path_a[128], path_b[128], path_c[128], path_img[128];

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
write_file(const char *path, size_t n, int seed)
{
	FILE *f = fopen(path, "wb");
	size_t i;

	for (i = 0; f && i < n; i++)
		fputc((int)((i * 31 + (size_t)seed) & 0xFF), f);
	if (f == NULL || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Run mkbootimg's main in a child with argv; returns its exit status. */
static int
run(char **argv)
{
	int argc = 0, st;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		optind = 1;
		exit(mkbootimg_main(argc, argv));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int
same_bytes(const unsigned char *p, size_t n, int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)((i * 31 + (size_t)seed) & 0xFF))
			return 0;
	return 1;
}

static void
test_pack(void)
{
	char renamed[160];
	char *argv[] = { "mkbootimg", "-o", path_img, path_a, path_b,
			 renamed, NULL };
	static const char *names[] = { "alpha", "bravo", "init.cfg" };
	static const uint32_t sizes[] = { 5000, 0, 100 };
	static const int seeds[] = { 1, 2, 3 };
	unsigned char *img, *e;
	size_t len;
	int i, ok = 1;

	snprintf(renamed, sizeof(renamed), "init.cfg=%s", path_c);
	CHECK(run(argv) == 0, "mkbootimg packs three files");
	img = slurp(path_img, &len);
	CHECK(img != NULL && len > 12, "image written");
	if (img == NULL)
		return;
	CHECK(memcmp(img, "VXBOOT1\0", 8) == 0, "magic VXBOOT1");
	CHECK(le32(img + 8) == 3, "count 3");
	for (i = 0; i < 3; i++) {
		e = img + 12 + 40 * i;
		ok &= strcmp((char *)e, names[i]) == 0;
		ok &= le32(e + 32) % 4096 == 0 && le32(e + 32) >= 12 + 3 * 40;
		ok &= le32(e + 36) == sizes[i];
		ok &= le32(e + 32) + le32(e + 36) <= len;
		ok &= same_bytes(img + le32(e + 32), sizes[i], seeds[i]);
		if (i > 0)
			ok &= le32(e + 32) >= le32(e - 8) + le32(e - 4);
	}
	CHECK(ok, "names, 4 KiB-aligned offsets, sizes and contents");
	CHECK(le32(img + 12 + 32) == 4096, "first file at 4096");
	free(img);
}

static void
test_bad(void)
{
	char longname[80];
	char *dup[] = { "mkbootimg", "-o", path_img, path_a, path_a, NULL };
	char *lng[] = { "mkbootimg", "-o", path_img, longname, NULL };
	char *missing[] = { "mkbootimg", "-o", path_img, "/nonexistent/x",
			    NULL };
	char *noout[] = { "mkbootimg", path_a, NULL };

	memset(longname, 'n', 40);
	strcpy(longname + 40, "=x");
	CHECK(run(dup) == 1, "duplicate names refused");
	CHECK(run(lng) == 1, "names of 32+ characters refused");
	CHECK(run(missing) == 1, "missing file refused");
	CHECK(run(noout) == 1, "missing -o refused");
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path_a, sizeof(path_a), "%s/alpha", dir);
	snprintf(path_b, sizeof(path_b), "%s/bravo", dir);
	snprintf(path_c, sizeof(path_c), "%s/charlie", dir);
	snprintf(path_img, sizeof(path_img), "%s/vx-boot.img", dir);
	write_file(path_a, 5000, 1);
	write_file(path_b, 0, 2);
	write_file(path_c, 100, 3);
	test_pack();
	test_bad();
	unlink(path_a);
	unlink(path_b);
	unlink(path_c);
	unlink(path_img);
	rmdir(dir);
	return TEST_DONE();
}
