/*
 * driver.c - a small stand-in for libFuzzer's main(): runs every file of
 * the corpus directories given on the command line through
 * LLVMFuzzerTestOneInput, then mutated inputs from a fixed PRNG seed
 * until a time or run budget is spent.
 *
 * Usage: fuzz_x [-max_total_time=S] [-runs=N] [-seed=N] [-max_len=N] DIR...
 * (also FUZZ_TIME, FUZZ_RUNS, FUZZ_SEED in the environment).  Prints one
 * closing "N passed, 0 failed" line: each target run that returned
 * counts as passed; a sanitizer report or a failed check aborts the
 * process with a non-zero status.  If the target defines
 * fuzz_final_check(), it runs last (it aborts on failure).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_final_check(void) __attribute__((weak));

#define MAX_SEEDS	256
#define DEF_MAX_LEN	2048

static uint8_t *seeds[MAX_SEEDS];
static size_t seedlen[MAX_SEEDS];
static int nseeds;
static uint64_t rng = 0x853c49e6748fea9bull;
static unsigned long passed;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void
run_one(const uint8_t *d, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);	/* ASan sees overreads */

	memcpy(copy, d, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	passed++;
}

static void
load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t buf[65536];
	size_t n;

	if (f == NULL || nseeds == MAX_SEEDS) {
		if (f)
			fclose(f);
		return;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	seeds[nseeds] = malloc(n ? n : 1);
	memcpy(seeds[nseeds], buf, n);
	seedlen[nseeds++] = n;
}

static void
load_dir(const char *dir)
{
	struct dirent *e;
	char path[4096];
	DIR *d = opendir(dir);

	if (d == NULL) {
		load_file(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		load_file(path);
	}
	closedir(d);
}

/* One random edit of buf (length *n, capacity cap). */
static void
mutate_once(uint8_t *buf, size_t *n, size_t cap)
{
	static const uint8_t interesting[] = { 0, 1, 0x7f, 0x80, 0xff, 0xfe,
					       0x40, 0x20, 3, 25, 26 };
	size_t i = *n ? rnd() % *n : 0;

	switch (rnd() % 7) {
	case 0:
		if (*n)
			buf[i] ^= 1u << (rnd() % 8);
		break;
	case 1:
		if (*n)
			buf[i] = interesting[rnd() % sizeof(interesting)];
		break;
	case 2:
		if (*n)
			buf[i] = (uint8_t)rnd();
		break;
	case 3:					/* truncate */
		*n = *n ? rnd() % (*n + 1) : 0;
		break;
	case 4:					/* insert a byte */
		if (*n < cap) {
			memmove(buf + i + 1, buf + i, *n - i);
			buf[i] = (uint8_t)rnd();
			(*n)++;
		}
		break;
	case 5:					/* 32-bit interesting */
		if (*n >= 4) {
			uint32_t v = rnd() % 2 ? 0xFFFFFFFFu : (uint32_t)rnd() % 3000;

			i = rnd() % (*n - 3);
			memcpy(buf + i, &v, 4);
		}
		break;
	case 6:					/* duplicate a block */
		if (*n > 8 && *n < cap) {
			size_t len = rnd() % (*n / 2) + 1;

			if (len > cap - *n)
				len = cap - *n;
			memmove(buf + i + len, buf + i, *n - i);
			(*n) += len;
		}
		break;
	}
}

static int
arg_num(const char *a, const char *name, unsigned long *v)
{
	size_t l = strlen(name);

	if (strncmp(a, name, l) != 0)
		return 0;
	*v = strtoul(a + l, NULL, 10);
	return 1;
}

int
main(int argc, char **argv)
{
	unsigned long maxtime = 10, runs = 0, seed = 1, maxlen = DEF_MAX_LEN;
	uint8_t *buf;
	size_t n;
	time_t t0 = time(NULL);
	int i, k;

	if (getenv("FUZZ_TIME"))
		maxtime = strtoul(getenv("FUZZ_TIME"), NULL, 10);
	if (getenv("FUZZ_RUNS"))
		runs = strtoul(getenv("FUZZ_RUNS"), NULL, 10);
	if (getenv("FUZZ_SEED"))
		seed = strtoul(getenv("FUZZ_SEED"), NULL, 10);
	for (i = 1; i < argc; i++) {
		if (arg_num(argv[i], "-max_total_time=", &maxtime) ||
		    arg_num(argv[i], "-runs=", &runs) ||
		    arg_num(argv[i], "-seed=", &seed) ||
		    arg_num(argv[i], "-max_len=", &maxlen))
			continue;
		if (argv[i][0] != '-')
			load_dir(argv[i]);
	}
	rng ^= seed * 0x2545F4914F6CDD1Dull;
	for (i = 0; i < nseeds; i++)
		run_one(seeds[i], seedlen[i]);
	buf = malloc(maxlen);
	while ((runs == 0 || passed < runs) &&
	       (unsigned long)(time(NULL) - t0) < maxtime) {
		if (nseeds && rnd() % 8) {
			k = rnd() % nseeds;
			n = seedlen[k] < maxlen ? seedlen[k] : maxlen;
			memcpy(buf, seeds[k], n);
		} else {
			n = rnd() % maxlen;
			for (size_t j = 0; j < n; j++)
				buf[j] = (uint8_t)rnd();
		}
		for (k = 1 + rnd() % 4; k > 0; k--)
			mutate_once(buf, &n, maxlen);
		run_one(buf, n);
	}
	if (fuzz_final_check)
		fuzz_final_check();
	printf("%lu passed, 0 failed\n", passed);
	free(buf);
	for (i = 0; i < nseeds; i++)
		free(seeds[i]);
	return 0;
}
