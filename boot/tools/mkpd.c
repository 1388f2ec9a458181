/*
 * mkpd.c - host tool: turn a static ELF32 i386 executable into an Amoeba
 * executable, as Amoeba's acv does (spec 8.2).
 *
 *   mkpd [-v] [-b bss-extra] [-s stack-size] in.elf out
 *
 * Output: [marshalled PD][text + rodata][data].  The PD has four segments
 * and one thread:
 *   0 text   offset = PD size, the read-only PT_LOADs (page-aligned start),
 *            GROWNOT | TEXT | READONLY
 *   1 data   offset = after the text, the writable PT_LOADs' file bytes
 *            padded with zeros to a page boundary (so the bss bytes that
 *            share data's last page come from the file), GROWNOT | DATA |
 *            READWRITE
 *   2 bss    offset 0, right after data, the rest of the writable memory
 *            plus bss-extra (default 16 KiB), page-rounded, GROWUP | DATA |
 *            READWRITE; the heap grows this segment (SYS_BRK)
 *   3 stack  offset 0, stack-size (default 64 KiB) ending at 0xC0000000,
 *            GROWDOWN | DATA | READWRITE | SYSTEM
 *   thread   td_state 0, TDX_IDLE, pc = ELF entry, sp = 0 (the kernel
 *            builds the initial stack)
 * All capabilities are null; numbers are little-endian (pd_put).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba/pd.h>

#define PAGE		4096u
#define STACK_END	0xC0000000u
#define USER_LOW	0x40000000u
#define ROUND_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/* One group of PT_LOADs (read-only or writable) as a memory range. */
struct region {
	uint32_t lo;		/* lowest p_vaddr (0 if none) */
	uint32_t file_hi;	/* highest p_vaddr + p_filesz */
	uint32_t mem_hi;	/* highest p_vaddr + p_memsz */
	int n;			/* PT_LOADs in the group */
};

static const char *prog = "mkpd";
static int verbose;

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL)
		die("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("cannot size %s", path);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The ELF header, checked to be a static i386 executable. */
static const Elf32_Ehdr *
elf_header(const unsigned char *img, size_t len, const char *path)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		die("%s: not an ELF file", path);
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_386)
		die("%s: not an ELF32 little-endian i386 file", path);
	if (eh->e_type != ET_EXEC)
		die("%s: not a static executable (ET_EXEC)", path);
	if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > len ||
	    (size_t)eh->e_phnum * sizeof(Elf32_Phdr) > len - eh->e_phoff)
		die("%s: bad program headers", path);
	return eh;
}

static void
region_add(struct region *r, const Elf32_Phdr *ph)
{
	uint32_t fend = ph->p_vaddr + ph->p_filesz;
	uint32_t mend = ph->p_vaddr + ph->p_memsz;

	if (r->n == 0 || ph->p_vaddr < r->lo)
		r->lo = ph->p_vaddr;
	if (r->n == 0 || fend > r->file_hi)
		r->file_hi = fend;
	if (r->n == 0 || mend > r->mem_hi)
		r->mem_hi = mend;
	r->n++;
}

/* Sort the PT_LOADs into text (not writable) and data (writable). */
static void
elf_regions(const unsigned char *img, size_t len, const Elf32_Ehdr *eh,
	    struct region *text, struct region *data, const char *path)
{
	const Elf32_Phdr *ph = (const Elf32_Phdr *)(img + eh->e_phoff);
	int i;

	memset(text, 0, sizeof(*text));
	memset(data, 0, sizeof(*data));
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP || ph[i].p_type == PT_DYNAMIC)
			die("%s: dynamically linked", path);
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > len ||
		    ph[i].p_filesz > len - ph[i].p_offset ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr)
			die("%s: bad PT_LOAD", path);
		region_add((ph[i].p_flags & PF_W) ? data : text, &ph[i]);
	}
	if (text->n == 0 || data->n == 0)
		die("%s: needs a read-only and a writable PT_LOAD", path);
	if ((text->lo % PAGE) || (data->lo % PAGE))
		die("%s: PT_LOADs must start on page boundaries (use user.ld)",
		    path);
	if (text->lo < USER_LOW || ROUND_UP(text->mem_hi) > data->lo)
		die("%s: text must lie at or above 0x40000000, below data",
		    path);
}

/* Copy the PT_LOADs of one kind into buf, which maps [lo, lo + n). */
static void
copy_loads(const unsigned char *img, const Elf32_Ehdr *eh, int writable,
	   unsigned char *buf, uint32_t lo, uint32_t n)
{
	const Elf32_Phdr *ph = (const Elf32_Phdr *)(img + eh->e_phoff);
	uint32_t off, cnt;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0 ||
		    !!(ph[i].p_flags & PF_W) != writable)
			continue;
		off = ph[i].p_vaddr - lo;
		cnt = ph[i].p_filesz;
		if (off >= n)
			continue;
		if (cnt > n - off)
			cnt = n - off;
		memcpy(buf + off, img + ph[i].p_offset, cnt);
	}
}

static uint32_t
parse_size(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	if (errno || *end != '\0' || v > 0x40000000ul)
		die("bad size %s", s);
	return (uint32_t)v;
}

static void
write_out(const char *path, const unsigned char *pd, int pdlen,
	  const unsigned char *text, uint32_t tlen,
	  const unsigned char *data, uint32_t dlen)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		die("cannot create %s", path);
	if (fwrite(pd, 1, (size_t)pdlen, f) != (size_t)pdlen ||
	    fwrite(text, 1, tlen, f) != tlen ||
	    fwrite(data, 1, dlen, f) != dlen || fclose(f) != 0) {
		unlink(path);
		die("cannot write %s", path);
	}
}

static void
set_seg(struct pd_segment *sd, int32_t off, uint32_t addr, uint32_t len,
	uint32_t type)
{
	memset(sd, 0, sizeof(*sd));
	sd->sd_offset = off;
	sd->sd_addr = addr;
	sd->sd_len = len;
	sd->sd_type = type;
}

/* Fill the PD for the given layout; returns its marshalled size. */
static int
build_pd(struct pd_info *pd, const struct region *text,
	 const struct region *data, uint32_t dlen, uint32_t bss_extra,
	 uint32_t stack, uint32_t entry)
{
	uint32_t tlen = text->mem_hi - text->lo;
	uint32_t bss_lo = data->lo + dlen;
	uint32_t bss_hi = ROUND_UP(data->mem_hi);
	int hdr;

	if (bss_hi < bss_lo)
		bss_hi = bss_lo;
	memset(pd, 0, sizeof(*pd));
	memcpy(pd->magic, PD_ARCH, sizeof(PD_ARCH));
	pd->nseg = 4;
	pd->nthread = 1;
	pd->thread[0].td_extra = TDX_IDLE;
	pd->thread[0].pc = entry;
	hdr = (int)pd_size(pd);
	set_seg(&pd->seg[0], hdr, text->lo, tlen,
		MAP_GROWNOT | MAP_TYPETEXT | MAP_READONLY);
	set_seg(&pd->seg[1], hdr + (int32_t)tlen, data->lo, dlen,
		MAP_GROWNOT | MAP_TYPEDATA | MAP_READWRITE);
	set_seg(&pd->seg[2], 0, bss_lo, bss_hi - bss_lo + ROUND_UP(bss_extra),
		MAP_GROWUP | MAP_TYPEDATA | MAP_READWRITE);
	set_seg(&pd->seg[3], 0, STACK_END - stack, stack,
		MAP_GROWDOWN | MAP_TYPEDATA | MAP_READWRITE | MAP_SYSTEM);
	if ((uint64_t)bss_lo + pd->seg[2].sd_len > STACK_END - stack)
		die("%s", "program too large: bss reaches the stack");
	return hdr;
}

static void
report(const struct pd_info *pd, int hdr)
{
	static const char *const names[] = { "text", "data", "bss", "stack" };
	int i;

	printf("pd %d bytes, entry 0x%08x\n", hdr, (unsigned)pd->thread[0].pc);
	for (i = 0; i < pd->nseg; i++)
		printf("  %-5s addr 0x%08x len 0x%08x off %6d type 0x%08x\n",
		       names[i], (unsigned)pd->seg[i].sd_addr,
		       (unsigned)pd->seg[i].sd_len, (int)pd->seg[i].sd_offset,
		       (unsigned)pd->seg[i].sd_type);
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-v] [-b bss-extra] [-s stack-size] "
		"in.elf out\n", prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	uint32_t bss_extra = 16 * 1024, stack = 64 * 1024, tlen, dlen;
	struct region text, data;
	static struct pd_info pd;
	unsigned char *img, *tbuf, *dbuf, pdbuf[MAX_PDSIZE];
	const Elf32_Ehdr *eh;
	size_t len;
	int c, hdr;

	while ((c = getopt(argc, argv, "vb:s:")) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		case 'b':
			bss_extra = parse_size(optarg);
			break;
		case 's':
			stack = ROUND_UP(parse_size(optarg));
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if (stack == 0 || stack > 0x10000000u)
		die("%s", "stack size must be 4 KiB .. 256 MiB");
	img = read_file(argv[optind], &len);
	eh = elf_header(img, len, argv[optind]);
	elf_regions(img, len, eh, &text, &data, argv[optind]);
	if (eh->e_entry < text.lo || eh->e_entry >= text.mem_hi)
		die("%s: entry point outside the text", argv[optind]);
	tlen = text.mem_hi - text.lo;
	dlen = ROUND_UP(data.file_hi - data.lo);
	tbuf = calloc(1, tlen);
	dbuf = calloc(1, dlen ? dlen : 1);
	if (tbuf == NULL || dbuf == NULL)
		die("%s", "out of memory");
	copy_loads(img, eh, 0, tbuf, text.lo, tlen);
	copy_loads(img, eh, 1, dbuf, data.lo, dlen);
	hdr = build_pd(&pd, &text, &data, dlen, bss_extra, stack,
		       eh->e_entry);
	if (pd_put(&pd, pdbuf, sizeof(pdbuf)) != hdr)
		die("%s", "cannot marshal the PD");
	write_out(argv[optind + 1], pdbuf, hdr, tbuf, tlen, dbuf, dlen);
	if (verbose)
		report(&pd, hdr);
	free(img);
	free(tbuf);
	free(dbuf);
	return 0;
}
