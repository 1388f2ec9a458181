/*
 * test_proc.c - processes from process descriptors: exit status, user
 * faults of every kind ending only the faulting process, bad pointers in
 * system calls, no pages left behind, many processes in a row.
 */
#include "tests/kernel/ktest.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "uprog.h"
#include <stderr.h>

#define EXIT_WITH_EAX 0x89, 0xC3, 0xBE, 0x10, 0, 0, 0, 0xCD, 0x39

static const uint8_t exit42[] = {
	0xBE, 0x10, 0, 0, 0,    /* mov $SYS_EXITPROCESS, %esi */
	0xBB, 42, 0, 0, 0,      /* mov $42, %ebx */
	0xCD, 0x39,             /* int $57 */
};

KTEST(proc_exit_status)
{
	KT_EQ(uprog_run("exit42", exit42, sizeof(exit42)), 42);
}

/* Each program must die with the given trap, and the kernel go on. */
static void
expect_fault(const char *name, const uint8_t *code, size_t n, int trap)
{
	int r = uprog_run(name, code, n);

	if (r != -1000 - trap)
		ktest_fail(__FILE__, __LINE__, "%s: got %d, want trap %d",
			   name, r, trap);
}

KTEST(proc_fault_write_kernel)
{
	static const uint8_t c[] = { 0xC7, 0x05, 0, 0, 0x10, 0, 1, 0, 0, 0 };

	expect_fault("wrkernel", c, sizeof(c), 14);
}

KTEST(proc_fault_write_text)
{
	static const uint8_t c[] = { 0xC7, 0x05, 0, 0, 0, 0x40, 1, 0, 0, 0 };

	expect_fault("wrtext", c, sizeof(c), 14);
}

KTEST(proc_fault_jump_kernel)
{
	static const uint8_t c[] = { 0xB8, 0, 0, 0x10, 0, 0xFF, 0xE0 };

	expect_fault("jmpkernel", c, sizeof(c), 14);
}

KTEST(proc_fault_divide)
{
	static const uint8_t c[] = { 0x31, 0xC0, 0x31, 0xC9, 0xF7, 0xF1 };

	expect_fault("div0", c, sizeof(c), 0);
}

KTEST(proc_fault_illegal)
{
	static const uint8_t c[] = { 0x0F, 0x0B };

	expect_fault("ud2", c, sizeof(c), 6);
}

KTEST(proc_fault_privileged)
{
	static const uint8_t cli[] = { 0xFA };
	static const uint8_t out[] = { 0xE6, 0x80 };
	static const uint8_t int80[] = { 0xCD, 0x80 };
	static const uint8_t irqvec[] = { 0xCD, 0x20 };

	expect_fault("cli", cli, sizeof(cli), 13);
	expect_fault("outb", out, sizeof(out), 13);
	expect_fault("int80", int80, sizeof(int80), 13);
	expect_fault("intirq", irqvec, sizeof(irqvec), 13);
}

KTEST(proc_fault_stack_overflow)
{
	static const uint8_t c[] = { 0xE8, 0xFB, 0xFF, 0xFF, 0xFF };

	expect_fault("recurse", c, sizeof(c), 14);
}

KTEST(proc_syscall_bad_pointer)
{
	static const uint8_t c[] = {
		0xBE, 100, 0, 0, 0,     /* SYS_CONSOLE_WRITE */
		0xBB, 0, 0, 0x10, 0,    /* buf = kernel text */
		0xB9, 10, 0, 0, 0,      /* len = 10 */
		0xCD, 0x39, EXIT_WITH_EAX,
	};
	static const uint8_t c2[] = {
		0xBE, 103, 0, 0, 0,     /* SYS_GETTIME */
		0xBB, 0, 0, 0, 0x40,    /* out = read-only text */
		0xCD, 0x39, EXIT_WITH_EAX,
	};
	static const uint8_t c3[] = {
		0xBE, 0xE7, 3, 0, 0,    /* code 999: no such call */
		0xCD, 0x39, EXIT_WITH_EAX,
	};

	KT_EQ(uprog_run("badptr", c, sizeof(c)), STD_ARGBAD);
	KT_EQ(uprog_run("rotext", c2, sizeof(c2)), STD_ARGBAD);
	KT_EQ(uprog_run("nocall", c3, sizeof(c3)), STD_COMBAD);
}

KTEST(proc_no_pages_left)
{
	uint32_t before;

	uprog_run("warm", exit42, sizeof(exit42)); /* heap slabs settle */
	before = page_free_count();
	for (int i = 0; i < 10; i++)
		uprog_run("exit42", exit42, sizeof(exit42));
	KT_EQ(page_free_count(), before);
	KT_EQ(proc_count(), 0);
}

KTEST(proc_hundred_in_a_row)
{
	int ok = 0;

	for (int i = 0; i < 100; i++)
		ok += uprog_run("exit42", exit42, sizeof(exit42)) == 42;
	KT_EQ(ok, 100);
}

KTEST(proc_bad_descriptor)
{
	static const uint8_t junk[64] = { 'i', '8', '0', '3', '8', '6' };
	static const uint8_t foreign[64] = { 's', 'p', 'a', 'r', 'c' };
	errstat err = 0;

	KT_CHECK(proc_exec(junk, sizeof(junk), "junk", NULL, NULL, NULL, 0,
			   PRIO_NORM, &err) == NULL);
	KT_EQ(err, STD_ARGBAD);
	KT_CHECK(proc_exec(foreign, sizeof(foreign), "sparc", NULL, NULL,
			   NULL, 0, PRIO_NORM, &err) == NULL);
	KT_EQ(err, STD_COMBAD);
	KT_CHECK(proc_exec(junk, 10, "short", NULL, NULL, NULL, 0, PRIO_NORM,
			   &err) == NULL);
	KT_EQ(err, STD_ARGBAD);
	KT_EQ(proc_count(), 0);
}
