/*
 * test_buildstack.c - host test of libamoeba/pd/buildstack.c: the
 * initial stack of spec 8.4, followed pointer by pointer in a buffer at
 * a pretend user address: argc/argv/envp/capv at sp, each string and
 * capability where its pointer says, the NULL terminators, the default
 * argv {"-"}, pd_stackneed matching what was used, and STD_NOSPACE when
 * the buffer is too small.
 */
#include <stdio.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <amoeba/pd.h>

#include "check.h"

#define VA	0x40000000u
#define LEN	4096u

static uint8_t buf[LEN];

static uint32_t
at(uint32_t va)
{
	const uint8_t *p = buf + (va - VA);

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *
str(uint32_t va)
{
	return va >= VA && va < VA + LEN ? (const char *)buf + (va - VA) : "";
}

int
main(void)
{
	const char *argv[] = { "prog", "a b", "", "last", NULL };
	const char *envp[] = { "X=1", "LONGER=value", NULL };
	struct cap_env caps[2];
	uint32_t sp = 0, av, ev, cv;
	int ok = 1;

	memset(caps, 0, sizeof(caps));
	caps[0].name = "ONE";
	caps[0].cap.cap_port._portbytes[0] = 1;
	caps[1].name = "SECOND";
	caps[1].cap.cap_port._portbytes[0] = 2;

	CHECK(pd_buildstack(buf, LEN, VA, argv, envp, caps, 2, &sp) == STD_OK,
	      "pd_buildstack fits");
	CHECK(sp % 16 == 0 && sp >= VA && sp < VA + LEN, "sp 16-aligned inside");
	CHECK(VA + LEN - sp == pd_stackneed(argv, envp, caps, 2),
	      "pd_stackneed is what was used");
	av = at(sp + 4);
	ev = at(sp + 8);
	cv = at(sp + 12);
	CHECK(at(sp) == 4, "argc");
	for (int i = 0; i < 4; i++)
		ok &= strcmp(str(at(av + 4 * (uint32_t)i)), argv[i]) == 0;
	CHECK(ok && at(av + 16) == 0, "argv strings and NULL");
	CHECK(strcmp(str(at(ev)), "X=1") == 0 &&
	      strcmp(str(at(ev + 4)), "LONGER=value") == 0 && at(ev + 8) == 0,
	      "envp strings and NULL");
	CHECK(strcmp(str(at(cv)), "ONE") == 0 &&
	      strcmp(str(at(cv + 8)), "SECOND") == 0 &&
	      at(cv + 16) == 0 && at(cv + 20) == 0, "capv names and NULL pair");
	CHECK(buf[at(cv + 4) - VA] == 1 && buf[at(cv + 12) - VA] == 2 &&
	      at(cv + 12) == VA + LEN - CAPSIZE &&
	      at(cv + 4) == VA + LEN - 2 * CAPSIZE,
	      "capabilities at the top, the last entry highest");
	CHECK(av % 4 == 0 && ev % 4 == 0 && cv % 4 == 0, "arrays aligned");
	CHECK(pd_buildstack(buf, LEN, VA, NULL, NULL, NULL, 0, &sp) == STD_OK &&
	      at(sp) == 1 && strcmp(str(at(at(sp + 4))), "-") == 0 &&
	      at(at(sp + 8)) == 0 && at(at(sp + 12)) == 0,
	      "no argv: {\"-\"}, empty envp and capv");
	CHECK(pd_buildstack(buf, 64, VA, argv, envp, caps, 2, &sp) ==
	      STD_NOSPACE, "too small a buffer: STD_NOSPACE");
	return TEST_DONE();
}
