/*
 * krandom.c - kernel random numbers (see krandom.h).
 *
 * Without RDRAND, a 128-bit xorshift generator is re-keyed from a pool
 * into which every interrupt and NIC frame mixes the low TSC bits; each
 * output block also mixes in the current TSC.  Not a cryptographic RNG
 * in the modern sense, but ports and check fields need unpredictability
 * from outside the node, which the timing jitter under real hardware and
 * under emulation gives.
 */
#include <stdbool.h>
#include <string.h>

#include "kernel/arch/arch.h"
#include "kernel/krandom.h"

static uint32_t pool[4] = { 0x9E3779B9u, 0x7F4A7C15u, 0xF39CC060u,
			    0x5CEDC834u };
static bool use_rdrand;

void
krandom_stir(uint32_t x)
{
	uint32_t t = (uint32_t)arch_cycles();

	pool[t & 3] ^= (x + t) * 0x85EBCA6Bu;
	pool[(t >> 2) & 3] += t ^ (x << 7);
}

static uint32_t
pool_next(void)
{
	uint32_t f = arch_irq_save();
	uint32_t t = pool[3], s = pool[0];

	pool[3] = pool[2];
	pool[2] = pool[1];
	pool[1] = s;
	t ^= t << 11;
	t ^= t >> 8;
	pool[0] = t ^ s ^ (s >> 19) ^ (uint32_t)arch_cycles();
	arch_irq_restore(f);
	return pool[0];
}

void
krandom_init(void)
{
	uint32_t v;

	use_rdrand = arch_rdrand(&v);
	for (int i = 0; i < 64; i++)
		krandom_stir((uint32_t)arch_cycles() ^ (uint32_t)i);
}

void
krandom(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint32_t v;
		size_t k = n < 4 ? n : 4;

		if (!use_rdrand || !arch_rdrand(&v))
			v = pool_next();
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

const char *
krandom_source(void)
{
	return use_rdrand ? "rdrand" : "pool";
}
