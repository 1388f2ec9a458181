/*
 * sim_port.c - the host implementation of flip/flip_port.h for unit
 * tests and fuzzers: a simulated millisecond clock that only moves when
 * the test says so, malloc, a seeded xorshift PRNG, and a wakeup hook.
 *
 * Single-threaded: the whole simulation runs in one thread, so the
 * "network lock" of the port contract is trivially held.
 */
#include <stdlib.h>
#include <string.h>
#include "flip/flip_port.h"
#include "tests/host/sim/sim.h"

static uint32_t sim_clock;
static uint64_t sim_rng = 0x9E3779B97F4A7C15ull;
static long sim_live_allocs;
static void (*sim_wake_hook)(void *obj);
static int (*sim_idle_hook)(void);	/* steps test automatons in a sleep */
static const void *sim_sleeping_on;	/* what flip_port_sleep waits for */
static int sim_woken;			/* ... and whether it came */

uint32_t
flip_port_now_ms(void)
{
	return sim_clock;
}

void *
flip_port_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p)
		sim_live_allocs++;
	return p;
}

void
flip_port_free(void *p)
{
	if (p) {
		sim_live_allocs--;
		free(p);
	}
}

/* splitmix64: good enough statistics for loss patterns, and seedable. */
uint64_t
sim_rand64(void)
{
	uint64_t z = (sim_rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void
flip_port_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(sim_rand64() >> 24);
}

void
flip_port_wakeup(void *obj)
{
	if (obj == sim_sleeping_on)
		sim_woken = 1;
	if (sim_wake_hook)
		sim_wake_hook(obj);
}

/* sim_run's condition while a blocking call sleeps. */
static int
sim_sleep_done(void *arg)
{
	(void)arg;
	if (sim_idle_hook)
		sim_idle_hook();
	return sim_woken;
}

/*
 * One thread: sleeping runs the simulation (frames, ticks, the test's
 * idle hook) until obj is woken; a sleep that outlasts SIM_SLEEP_MS of
 * simulated time counts as interrupted.
 */
int
flip_port_sleep(void *obj)
{
	const void *outer = sim_sleeping_on;
	int woken;

	sim_sleeping_on = obj;
	sim_woken = 0;
	woken = sim_run(SIM_SLEEP_MS, 10, sim_sleep_done, NULL);
	sim_sleeping_on = outer;
	sim_woken = 0;
	return woken ? 0 : -1;
}

/* No signals in the simulation: counted for the tests. */
static long sim_sigtrans_count;

void
flip_port_sigtrans(void *obj)
{
	(void)obj;
	sim_sigtrans_count++;
}

long
sim_sigtrans(void)
{
	return sim_sigtrans_count;
}

int
flip_port_writable(void *buf, size_t n)
{
	(void)buf;
	(void)n;
	return 1;
}

void
sim_set_idle_hook(int (*hook)(void))
{
	sim_idle_hook = hook;
}

void
sim_seed(uint64_t seed)
{
	sim_rng = seed;
}

void
sim_set_time(uint32_t ms)
{
	sim_clock = ms;
}

void
sim_advance(uint32_t ms)
{
	sim_clock += ms;
}

long
sim_allocs(void)
{
	return sim_live_allocs;
}

void
sim_set_wake_hook(void (*hook)(void *obj))
{
	sim_wake_hook = hook;
}
