/*
 * rnd.c - random numbers for user programs (module/rnd.h):
 * rnd_getrandom asks the node's random server (found through $RANDOM in
 * the capability environment, else the kernel directory, unless
 * rnd_setcap named another; rnd_defcap goes back), and uniqport
 * makes fresh ports from a generator seeded once from it, filling the 6
 * bytes in three 16-bit chunks as Amoeba's uniqport does.
 */
#include <string.h>

#include <amoeba.h>
#include <module/header.h>
#include <caplist.h>
#include <stderr.h>
#include <module/kdir.h>
#include <module/mutex.h>
#include <module/rnd.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <server/random/random.h>

static mutex rnd_mu;
static capability rnd_cap;
static int rnd_have_cap;
static uint64_t rnd_state;
static int rnd_seeded;

static errstat
rnd_find(capability *cap)
{
	capability *c;
	errstat err = STD_OK;

	mu_lock(&rnd_mu);
	if (!rnd_have_cap) {
		c = getcap("RANDOM");
		if (c) {
			rnd_cap = *c;
		} else {
			err = kdir_lookup(NULL, RANDOM_SVR_NAME, &rnd_cap);
		}
		rnd_have_cap = err == STD_OK;
	}
	*cap = rnd_cap;
	mu_unlock(&rnd_mu);
	return err;
}

void
rnd_setcap(capability *cap)
{
	mu_lock(&rnd_mu);
	rnd_cap = *cap;
	rnd_have_cap = 1;
	mu_unlock(&rnd_mu);
}

errstat
rnd_defcap(void)
{
	capability cap;

	mu_lock(&rnd_mu);
	rnd_have_cap = 0;
	mu_unlock(&rnd_mu);
	return rnd_find(&cap);
}

errstat
rnd_getrandom(char *buf, int size)
{
	capability cap;
	header h;
	errstat err;
	int32 n;
	int done = 0;

	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	err = rnd_find(&cap);
	if (err != STD_OK)
		return err;
	while (done < size) {
		int want = size - done > MAX_RANDOM ? MAX_RANDOM : size - done;

		hdr_init(&h, &cap, RND_GETRANDOM);
		h.h_size = (bufsize)want;
		n = rpc_trans(&h, NULL, 0, &h, buf + done, want);
		if (n < 0)
			return n;
		if (ERR_STATUS(h.h_status))
			return ERR_CONVERT(h.h_status);
		if (n == 0)
			return STD_SYSERR;
		done += n;
	}
	return STD_OK;
}

/* xorshift64* */
static uint16
rnd_next16(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint16)((rnd_state * 0x2545F4914F6CDD1Dull) >> 48);
}

static void
rnd_seed(void)
{
	unsigned long long us = 0;
	uint64_t seed = 0;

	if (rnd_getrandom((char *)&seed, sizeof(seed)) != STD_OK) {
		sys_micro(&us);	/* no random server: the clock at least */
		seed = us * 0x9E3779B97F4A7C15ull ^ (uint64_t)sys_getpid();
	}
	rnd_state = seed ? seed : 0x853C49E6748FEA9Bull;
	rnd_seeded = 1;
}

void
uniqport(port *p)
{
	uint16 v;
	int i;

	mu_lock(&rnd_mu);
	if (!rnd_seeded) {
		mu_unlock(&rnd_mu);
		rnd_seed();
		mu_lock(&rnd_mu);
	}
	do {
		for (i = 0; i < PORTSIZE; i += 2) {
			v = rnd_next16();
			p->_portbytes[i] = (uint8)v;
			p->_portbytes[i + 1] = (uint8)(v >> 8);
		}
	} while (NULLPORT(p));
	mu_unlock(&rnd_mu);
}
