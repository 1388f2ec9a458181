/*
 * test_libc.c - newlib on VX: formatted output, stdio buffering, malloc
 * under load, qsort/bsearch, setjmp/longjmp, libm, the environment, time,
 * errno, and the file calls on a node with no file server.
 *
 * Run as `init=test_libc`; prints ok/not ok lines (tests/host/check.h)
 * and exits 0 only when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <module/syscall.h>

#include "check.h"

#define NEAR(a, b)	(fabs((a) - (b)) < 1e-9)

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static const char *volatile long_word = "truncated";

static void
test_format(void)
{
	char buf[128];
	int n;

	n = snprintf(buf, sizeof(buf), "%d|%5x|%-4s|%lld|%zu|%c", -42, 255,
		     "ab", 1234567890123LL, (size_t)77, 'z');
	CHECK(strcmp(buf, "-42|   ff|ab  |1234567890123|77|z") == 0 &&
	      n == (int)strlen(buf), "snprintf integers and strings");
	snprintf(buf, sizeof(buf), "%.3f %e %g %5.1f", 3.14159265, 12345.678,
		 0.0001, -2.25);
	CHECK(strcmp(buf, "3.142 1.234568e+04 0.0001  -2.2") == 0 ||
	      strcmp(buf, "3.142 1.234568e+04 0.0001  -2.3") == 0,
	      "snprintf floating point");
	n = snprintf(buf, 4, "%s", long_word);
	CHECK(n == 9 && strcmp(buf, "tru") == 0, "snprintf truncates");
	CHECK(strtod("2.5e3", NULL) == 2500.0 && atoi("  -17") == -17,
	      "strtod and atoi");
	n = printf("# printf to the console\n");
	CHECK(n == 24, "printf returns the byte count");
}

static void
test_stdio(void)
{
	char buf[64], *mem = NULL;
	size_t memlen = 0;
	FILE *f;

	CHECK(isatty(1) == 1 && isatty(5) == 0, "isatty on the console only");
	CHECK(fflush(stdout) == 0 && (stdout->_flags & __SLBF),
	      "stdout is line buffered");
	f = open_memstream(&mem, &memlen);
	CHECK(f != NULL, "open_memstream");
	if (f == NULL)
		return;
	CHECK(setvbuf(f, NULL, _IOFBF, 16) == 0, "setvbuf full buffering");
	fprintf(f, "%s-%d", "buffered", 99);
	fputs(" more text past the buffer size", f);
	fclose(f);
	CHECK(mem && strcmp(mem, "buffered-99 more text past the buffer size")
	      == 0 && memlen == 42, "buffered writes arrive in order");
	free(mem);
	strcpy(buf, "12 34 hello");
	f = fmemopen(buf, strlen(buf), "r");
	if (f != NULL) {
		int a = 0, b = 0;
		char w[16] = "";

		CHECK(fscanf(f, "%d %d %15s", &a, &b, w) == 3 && a == 12 &&
		      b == 34 && strcmp(w, "hello") == 0, "fscanf on fmemopen");
		rewind(f);
		CHECK(fgetc(f) == '1' && ftell(f) == 1, "fgetc, rewind, ftell");
		fclose(f);
	} else {
		CHECK(0, "fmemopen");
	}
	CHECK(fprintf(stderr, "# stderr works\n") == 15, "fprintf to stderr");
}

#define SLOTS 1024

static int
check_fill(unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void
test_malloc(void)
{
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	int i, k, ok = 1;
	void *big, *brk0;
	unsigned char *c;

	for (k = 0; k < 20000; k++) {
		i = (int)(rnd() % SLOTS);
		if (slot[i]) {
			ok &= check_fill(slot[i], size[i], (unsigned char)i);
			free(slot[i]);
			slot[i] = NULL;
		} else {
			size[i] = rnd() % 4096 + 1;
			if (rnd() % 64 == 0)
				size[i] = rnd() % (256 * 1024);
			slot[i] = malloc(size[i] ? size[i] : 1);
			if (slot[i] == NULL) {
				ok = 0;
				continue;
			}
			memset(slot[i], i, size[i]);
		}
	}
	for (i = 0; i < SLOTS; i++) {
		if (slot[i])
			ok &= check_fill(slot[i], size[i], (unsigned char)i);
		free(slot[i]);
		slot[i] = NULL;
	}
	CHECK(ok, "20000 random malloc/free keep their contents");
	c = calloc(1000, 4);
	CHECK(c && check_fill(c, 4000, 0), "calloc zeroes");
	c = realloc(c, 100000);
	CHECK(c && check_fill(c, 4000, 0), "realloc keeps the contents");
	free(c);
	brk0 = sbrk(0);
	big = malloc(8 << 20);
	CHECK(big != NULL && sbrk(0) > brk0, "8 MiB malloc grows the break");
	if (big)
		memset(big, 0xAB, 8 << 20);
	free(big);
	errno = 0;
	big = malloc(0x7FFF0000);
	CHECK(big == NULL && errno == ENOMEM, "2 GiB malloc fails with ENOMEM");
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void
test_qsort(void)
{
	static int v[10000];
	int i, ok = 1, key, *hit;

	for (i = 0; i < 10000; i++)
		v[i] = (int)(rnd() % 100000);
	qsort(v, 10000, sizeof(v[0]), cmp_int);
	for (i = 1; i < 10000; i++)
		ok &= v[i - 1] <= v[i];
	CHECK(ok, "qsort 10000 ints");
	key = v[5000];
	hit = bsearch(&key, v, 10000, sizeof(v[0]), cmp_int);
	CHECK(hit && *hit == key, "bsearch finds an element");
}

static jmp_buf jb;

static volatile int jump_depth;
static void jump_deep(void);
static void (*volatile jump_next)(void) = jump_deep;

static void __attribute__((noinline))
jump_deep(void)
{
	volatile char pad[64];

	pad[0] = (char)jump_depth;
	if (jump_depth-- <= 0)
		longjmp(jb, 7);
	jump_next();		/* through a pointer: gcc sees no recursion */
	(void)pad[0];
}

static void
test_setjmp(void)
{
	volatile int count = 0;
	int r;

	r = setjmp(jb);
	count++;
	if (r == 0) {
		jump_depth = 20;
		jump_deep();
	}
	CHECK(r == 7 && count == 2, "longjmp from 20 frames deep");
}

static void
test_libm(void)
{
	volatile double x = 2.0;

	CHECK(NEAR(sqrt(x), 1.4142135623730951), "sqrt");
	CHECK(NEAR(sin(1.0), 0.8414709848078965) &&
	      NEAR(cos(1.0), 0.5403023058681398), "sin and cos");
	CHECK(NEAR(exp(1.0), 2.718281828459045) && NEAR(log(10.0),
	      2.302585092994046), "exp and log");
	CHECK(NEAR(pow(2.0, 0.5), sqrt(x)) && NEAR(atan2(1.0, 1.0),
	      M_PI / 4), "pow and atan2");
	CHECK(floor(-2.5) == -3.0 && fmod(7.5, 2.0) == 1.5 &&
	      lround(2.5) == 3, "floor, fmod, lround");
	CHECK(fabsf(sqrtf(2.0f) - 1.4142135f) < 1e-6f, "sqrtf");
	CHECK(isnan(sqrt(-1.0)) && isinf(1.0 / (x - 2.0)), "NaN and infinity");
}

static void
test_env(char **argv)
{
	const char *home = getenv("HOME");

	CHECK(argv[0] && strcmp(argv[0], "test_libc") == 0, "argv[0]");
	CHECK(home && strcmp(home, "/") == 0, "getenv(HOME) from the kernel");
	CHECK(setenv("VX_TEST", "yes", 1) == 0 &&
	      strcmp(getenv("VX_TEST"), "yes") == 0, "setenv/getenv");
	unsetenv("VX_TEST");
	CHECK(getenv("VX_TEST") == NULL, "unsetenv");
}

static void
test_time(void)
{
	struct timeval a, b;
	clock_t c0, c1;
	unsigned long m0;
	time_t t = time(NULL);

	CHECK(t > 1500000000, "time() is after 2017");
	CHECK(gettimeofday(&a, NULL) == 0 && a.tv_usec >= 0 &&
	      a.tv_usec < 1000000, "gettimeofday");
	c0 = clock();
	m0 = sys_milli();
	sys_sleep(30);
	gettimeofday(&b, NULL);
	c1 = clock();
	CHECK(sys_milli() - m0 >= 25, "sys_sleep(30) takes about 30 ms");
	CHECK((b.tv_sec - a.tv_sec) * 1000000 + (b.tv_usec - a.tv_usec) >=
	      20000, "gettimeofday advances");
	CHECK(c1 > c0, "clock advances");
}

static void
test_errno(void)
{
	FILE *f;

	errno = 0;
	CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX &&
	      errno == ERANGE, "strtol overflow sets ERANGE");
	errno = 0;
	f = fopen("/etc/passwd", "r");
	CHECK(f == NULL && errno == EIO,
	      "fopen with no directory server on the network: EIO");
	CHECK(write(9, "x", 1) == -1 && errno == EBADF, "write(9): EBADF");
	CHECK(close(5) == -1 && errno == EBADF &&
	      lseek(7, 0, SEEK_SET) == -1 && errno == EBADF,
	      "close(5), lseek(7): EBADF");
	CHECK(sys_null() == 0 && getpid() >= 0, "sys_null and getpid");
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_format();
	test_stdio();
	test_malloc();
	test_qsort();
	test_setjmp();
	test_libm();
	test_env(argv);
	test_time();
	test_errno();
	return TEST_DONE();
}
