/*
 * test_cmdline.c - the kernel command-line parser (kernel/cmdline.c,
 * pure code, compiled here as it is): each loader's way of passing the
 * line, options, `init=` taking the rest, numbers, word splitting.
 */
#include <string.h>

#include "check.h"
#include "kernel/cmdline.c"

int
main(void)
{
	const char *argv[8];
	char line[64];

	cmdline_parse("build/vx.elf node=a ktest"); /* QEMU -kernel */
	CHECK(cmdline_get("node") && strcmp(cmdline_get("node"), "a") == 0,
	      "QEMU: image name skipped, node=a");
	CHECK(cmdline_get("ktest") && *cmdline_get("ktest") == 0,
	      "a bare flag reads as \"\"");
	CHECK(cmdline_get("build/vx.elf") == NULL, "the image name is no option");

	cmdline_parse("tftp://10.0.2.2/vx.elf node=b"); /* iPXE */
	CHECK(strcmp(cmdline_get("node"), "b") == 0, "iPXE: URL skipped");

	cmdline_parse("node=c baud=9600"); /* GRUB: options only */
	CHECK(strcmp(cmdline_get("node"), "c") == 0, "GRUB: first word kept");
	CHECK(strcmp(cmdline_node(), "c") == 0, "node name from node=");
	CHECK(cmdline_int("baud", 0) == 9600, "decimal number");
	CHECK(cmdline_int("missing", 7) == 7, "absent number gives default");

	cmdline_parse("x=0x1F y=12z");
	CHECK(cmdline_int("x", 0) == 31, "hex number");
	CHECK(cmdline_int("y", 5) == 5, "malformed number gives default");

	cmdline_parse("vx.elf node=d init=prog a  b node=e");
	CHECK(strcmp(cmdline_init(), "prog a  b node=e") == 0,
	      "init= takes the rest of the line");
	CHECK(strcmp(cmdline_get("node"), "d") == 0,
	      "options after init= are the program's");

	cmdline_parse("a=1 a=2");
	CHECK(strcmp(cmdline_get("a"), "2") == 0, "the last repeat wins");
	cmdline_parse(NULL);
	CHECK(cmdline_get("a") == NULL && cmdline_init() == NULL,
	      "no line: no options");
	CHECK(strcmp(cmdline_node(), "vx") == 0, "no node=: the name is vx");

	strcpy(line, "  run\thello  a\n");
	CHECK(cmdline_split(line, argv, 7) == 3, "split: three words");
	CHECK(strcmp(argv[0], "run") == 0 && strcmp(argv[1], "hello") == 0 &&
	      strcmp(argv[2], "a") == 0 && argv[3] == NULL,
	      "split: words and NULL end");
	strcpy(line, "a b c d");
	CHECK(cmdline_split(line, argv, 2) == 2 && argv[2] == NULL,
	      "split: stops at max");
	return TEST_DONE();
}
