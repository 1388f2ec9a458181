/*
 * mkbootimg.c - host tool: pack programs and files into a VX boot image
 * (the multiboot module kernel/bootimg.c reads).
 *
 *   mkbootimg -o out.img [name=]path ...
 *
 * Format, all numbers little-endian:
 *   0   char magic[8]      "VXBOOT1\0"
 *   8   u32 count          number of files (at most 128)
 *   12  count entries of 40 bytes:
 *         char name[32]    NUL-terminated, at most 31 characters
 *         u32 offset       from the start of the image, a multiple of 4096
 *         u32 size         in bytes
 *   then the contents, each starting on a 4 KiB boundary (zero padding).
 * A file's name is its base name unless given as name=path.  Names must
 * be unique.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BI_MAGIC	"VXBOOT1"
#define BI_NAME		32
#define BI_ENTRY	40
#define BI_MAXFILES	128
#define BI_ALIGN	4096u

struct bi_file {
	char name[BI_NAME];		/* name in the image */
	const char *path;		/* where it comes from */
	unsigned char *data;		/* contents */
	uint32_t size;			/* length of data */
	uint32_t offset;		/* place in the image */
};

static void
die(const char *msg, const char *arg)
{
	fprintf(stderr, "mkbootimg: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	exit(1);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
load(struct bi_file *f, const char *arg)
{
	const char *eq = strchr(arg, '='), *name;
	FILE *in;
	long n;

	f->path = eq ? eq + 1 : arg;
	if (eq) {
		if ((size_t)(eq - arg) >= BI_NAME || eq == arg)
			die("bad name", arg);
		memcpy(f->name, arg, (size_t)(eq - arg));
	} else {
		name = strrchr(arg, '/');
		name = name ? name + 1 : arg;
		if (strlen(name) >= BI_NAME || *name == '\0')
			die("name empty or longer than 31 characters", name);
		strcpy(f->name, name);
	}
	in = fopen(f->path, "rb");
	if (in == NULL)
		die("cannot open", f->path);
	if (fseek(in, 0, SEEK_END) != 0 || (n = ftell(in)) < 0 ||
	    n > 0x40000000L || fseek(in, 0, SEEK_SET) != 0)
		die("cannot size", f->path);
	f->size = (uint32_t)n;
	f->data = malloc(f->size ? f->size : 1);
	if (f->data == NULL || fread(f->data, 1, f->size, in) != f->size)
		die("cannot read", f->path);
	fclose(in);
}

/* Give every file its offset; returns the image size. */
static uint32_t
layout(struct bi_file *f, int n)
{
	uint64_t off = 12 + (uint64_t)n * BI_ENTRY;
	int i;

	for (i = 0; i < n; i++) {
		off = (off + BI_ALIGN - 1) & ~(uint64_t)(BI_ALIGN - 1);
		f[i].offset = (uint32_t)off;
		off += f[i].size;
		if (off > 0xF0000000u)
			die("image too large", NULL);
	}
	return (uint32_t)off;
}

static void
write_image(const char *out, struct bi_file *f, int n, uint32_t size)
{
	unsigned char *img = calloc(1, size);
	unsigned char *e;
	FILE *o;
	int i;

	if (img == NULL)
		die("out of memory", NULL);
	memcpy(img, BI_MAGIC, 8);
	put32(img + 8, (uint32_t)n);
	for (i = 0; i < n; i++) {
		e = img + 12 + i * BI_ENTRY;
		memcpy(e, f[i].name, BI_NAME);
		put32(e + 32, f[i].offset);
		put32(e + 36, f[i].size);
		memcpy(img + f[i].offset, f[i].data, f[i].size);
	}
	o = fopen(out, "wb");
	if (o == NULL)
		die("cannot create", out);
	if (fwrite(img, 1, size, o) != size || fclose(o) != 0) {
		unlink(out);
		die("cannot write", out);
	}
	free(img);
}

int
main(int argc, char **argv)
{
	static struct bi_file files[BI_MAXFILES];
	const char *out = NULL;
	int c, i, j, n;

	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o') {
			fprintf(stderr, "usage: mkbootimg -o out.img "
				"[name=]path ...\n");
			return 2;
		}
		out = optarg;
	}
	n = argc - optind;
	if (out == NULL || n < 0)
		die("usage: mkbootimg -o out.img [name=]path ...", NULL);
	if (n > BI_MAXFILES)
		die("too many files", NULL);
	for (i = 0; i < n; i++) {
		load(&files[i], argv[optind + i]);
		for (j = 0; j < i; j++)
			if (strcmp(files[i].name, files[j].name) == 0)
				die("duplicate name", files[i].name);
	}
	write_image(out, files, n, layout(files, n));
	for (i = 0; i < n; i++)
		free(files[i].data);
	return 0;
}
