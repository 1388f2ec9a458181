/*
 * test_mkpd.c - host test of boot/tools/mkpd: build a small ELF32 i386
 * executable in memory, run mkpd's main on it, then parse what it wrote
 * byte by byte (spec 8.1 layout) and with pd_get, and check every field
 * and the segment contents.  Malformed inputs must make mkpd fail.
 */
#define main mkpd_main
#include "boot/tools/mkpd.c"
#undef main

#include <sys/wait.h>

#include "check.h"

#define T_TEXT		0x40000000u
#define T_TLEN		0x1234u
#define T_DATA		0x40002000u
#define T_DFILE		0x100u
#define T_DMEM		0x3000u
#define T_ENTRY		0x40000010u
#define T_ELFSIZE	(0x3000u + T_DFILE)

static char in_path[] = "/tmp/test_mkpd_in_XXXXXX";
static char out_path[] = "/tmp/test_mkpd_out_XXXXXX";

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned
le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static void
make_phdr(Elf32_Phdr *ph, uint32_t off, uint32_t va, uint32_t fsz,
	  uint32_t msz, uint32_t flags)
{
	ph->p_type = PT_LOAD;
	ph->p_offset = off;
	ph->p_vaddr = ph->p_paddr = va;
	ph->p_filesz = fsz;
	ph->p_memsz = msz;
	ph->p_flags = flags;
	ph->p_align = PAGE;
}

/* A two-PT_LOAD executable: text at 0x1000 in the file, data at 0x3000. */
static void
make_elf(unsigned char *img, uint16_t machine)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
	Elf32_Phdr *ph = (Elf32_Phdr *)(img + sizeof(*eh));
	uint32_t i;

	memset(img, 0, T_ELFSIZE);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_entry = T_ENTRY;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 2;
	make_phdr(&ph[0], 0x1000, T_TEXT, T_TLEN, T_TLEN, PF_R | PF_X);
	make_phdr(&ph[1], 0x3000, T_DATA, T_DFILE, T_DMEM, PF_R | PF_W);
	for (i = 0; i < T_TLEN; i++)
		img[0x1000 + i] = (unsigned char)(i * 7 + 1);
	for (i = 0; i < T_DFILE; i++)
		img[0x3000 + i] = (unsigned char)(i ^ 0x5A);
}

static void
write_bytes(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Run mkpd's main in a child; returns its exit status. */
static int
run_mkpd(const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[8] = { "mkpd" };
	int argc = 1, st;
	pid_t pid;

	if (a1)
		argv[argc++] = (char *)a1;
	if (a2)
		argv[argc++] = (char *)a2;
	if (a3)
		argv[argc++] = (char *)a3;
	if (a4)
		argv[argc++] = (char *)a4;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		optind = 1;
		exit(mkpd_main(argc, argv));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
check_seg(const unsigned char *s, int32_t off, uint32_t addr, uint32_t len,
	  uint32_t type, const char *what)
{
	static const unsigned char zero[16];
	char msg[96];

	snprintf(msg, sizeof(msg), "%s: null capability", what);
	CHECK(memcmp(s, zero, 16) == 0, msg);
	snprintf(msg, sizeof(msg), "%s: offset %d", what, (int)off);
	CHECK((int32_t)le32(s + 16) == off, msg);
	snprintf(msg, sizeof(msg), "%s: addr 0x%08x", what, (unsigned)addr);
	CHECK(le32(s + 20) == addr, msg);
	snprintf(msg, sizeof(msg), "%s: len 0x%x", what, (unsigned)len);
	CHECK(le32(s + 24) == len, msg);
	snprintf(msg, sizeof(msg), "%s: type 0x%08x", what, (unsigned)type);
	CHECK(le32(s + 28) == type, msg);
}

/* The default layout: 16 KiB bss extra, 64 KiB stack. */
static void
test_default(void)
{
	unsigned char *out, *elf = malloc(T_ELFSIZE);
	static struct pd_info pd;
	const unsigned char *t;
	size_t len, i;
	int ok = 1;

	make_elf(elf, EM_386);
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 0, "mkpd succeeds");
	out = read_file(out_path, &len);
	CHECK(len == 192 + T_TLEN + 0x1000, "file = PD + text + data page");
	CHECK(memcmp(out, "i80386\0\0", 8) == 0, "magic i80386");
	for (i = 8; i < 40; i++)
		ok &= out[i] == 0;
	CHECK(ok, "pd_self and pd_owner null");
	CHECK(le16(out + 40) == 4 && le16(out + 42) == 1,
	      "4 segments, 1 thread");
	check_seg(out + 44, 192, T_TEXT, T_TLEN, 0x110, "text");
	check_seg(out + 76, 192 + T_TLEN, T_DATA, 0x1000, 0x320, "data");
	check_seg(out + 108, 0, T_DATA + 0x1000, 0x2000 + 0x4000, 0x321, "bss");
	check_seg(out + 140, 0, 0xBFFF0000u, 0x10000, 0x80000322u, "stack");
	t = out + 172;
	CHECK(le32(t) == 0 && le32(t + 4) == 20 && le32(t + 8) == TDX_IDLE,
	      "thread: state 0, len 20, TDX_IDLE");
	CHECK(le32(t + 12) == T_ENTRY && le32(t + 16) == 0,
	      "thread: pc = entry, sp = 0");
	CHECK(memcmp(out + 192, elf + 0x1000, T_TLEN) == 0, "text contents");
	CHECK(memcmp(out + 192 + T_TLEN, elf + 0x3000, T_DFILE) == 0,
	      "data contents");
	for (ok = 1, i = 192 + T_TLEN + T_DFILE; i < len; i++)
		ok &= out[i] == 0;
	CHECK(ok, "data padded with zeros to the page end");
	CHECK(pd_get(out, len, &pd) == 192, "pd_get parses it, size 192");
	CHECK(pd.nseg == 4 && pd.nthread == 1 && pd.thread[0].pc == T_ENTRY,
	      "pd_get: nseg, nthread, pc");
	CHECK(pd.seg[2].sd_addr == T_DATA + 0x1000 &&
	      pd.seg[3].sd_type == 0x80000322u, "pd_get: bss addr, stack type");
	free(out);
	free(elf);
}

/* -s and -b change the stack and the bss. */
static void
test_options(void)
{
	unsigned char *out, *elf = malloc(T_ELFSIZE);
	size_t len;

	make_elf(elf, EM_386);
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd("-s", "128k", in_path, out_path) == 0, "mkpd -s 128k");
	out = read_file(out_path, &len);
	check_seg(out + 140, 0, 0xBFFE0000u, 0x20000, 0x80000322u, "-s stack");
	free(out);
	CHECK(run_mkpd("-b", "0", in_path, out_path) == 0, "mkpd -b 0");
	out = read_file(out_path, &len);
	check_seg(out + 108, 0, T_DATA + 0x1000, 0x2000, 0x321, "-b 0 bss");
	free(out);
	free(elf);
}

/* Malformed executables are refused. */
static void
test_bad(void)
{
	unsigned char *elf = malloc(T_ELFSIZE);
	Elf32_Phdr *ph;

	make_elf(elf, EM_X86_64);
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 1,
	      "wrong machine refused");
	make_elf(elf, EM_386);
	write_bytes(in_path, elf, 60);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 1,
	      "truncated ELF refused");
	make_elf(elf, EM_386);
	ph = (Elf32_Phdr *)(elf + sizeof(Elf32_Ehdr));
	ph[1].p_filesz = 0x100000;
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 1,
	      "PT_LOAD beyond the file refused");
	make_elf(elf, EM_386);
	ph[0].p_vaddr = 0x1000;
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 1,
	      "text below 0x40000000 refused");
	make_elf(elf, EM_386);
	((Elf32_Ehdr *)elf)->e_entry = 0x50000000;
	write_bytes(in_path, elf, T_ELFSIZE);
	CHECK(run_mkpd(in_path, out_path, NULL, NULL) == 1,
	      "entry outside the text refused");
	free(elf);
}

int
main(void)
{
	int fd1 = mkstemp(in_path), fd2 = mkstemp(out_path);

	if (fd1 < 0 || fd2 < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd1);
	close(fd2);
	test_default();
	test_options();
	test_bad();
	unlink(in_path);
	unlink(out_path);
	return TEST_DONE();
}
