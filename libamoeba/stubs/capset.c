/*
 * capset.c - capability sets (capset.h): copies, membership, the first
 * current member, and their marshalling (spec 1.5: i16 initial, i16
 * final, then final x (16-byte capability, i16 current)).
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/stdcmd.h>

static suite *
cs_alloc(int n)
{
	return calloc(n > 0 ? (size_t)n : 1, sizeof(suite));
}

int
cs_copy(capset *dst, capset *src)
{
	if (src == NULL || src->cs_final < 0 || src->cs_final > MAXCAPSET)
		return 0;
	dst->cs_suite = cs_alloc(src->cs_final);
	if (dst->cs_suite == NULL)
		return 0;
	if (src->cs_final > 0)
		memcpy(dst->cs_suite, src->cs_suite,
		       (size_t)src->cs_final * sizeof(suite));
	dst->cs_initial = src->cs_initial;
	dst->cs_final = src->cs_final;
	return 1;
}

void
cs_free(capset *cs)
{
	if (cs == NULL)
		return;
	free(cs->cs_suite);
	cs->cs_suite = NULL;
	cs->cs_initial = cs->cs_final = 0;
}

int
cs_member(capset *cs, capability *cap)
{
	int i;

	for (i = 0; i < cs->cs_final; i++)
		if (memcmp(&cs->cs_suite[i].s_object, cap, CAPSIZE) == 0)
			return 1;
	return 0;
}

errstat
cs_to_cap(capset *cs, capability *cap)
{
	int i;

	for (i = 0; i < cs->cs_final; i++)
		if (cs->cs_suite[i].s_current) {
			*cap = cs->cs_suite[i].s_object;
			return STD_OK;
		}
	return STD_SYSERR;
}

/* The first current member whose server answers std_info. */
errstat
cs_goodcap(capset *cs, capability *cap)
{
	char info[64];
	errstat err = STD_SYSERR;
	int i;

	for (i = 0; i < cs->cs_final; i++) {
		if (!cs->cs_suite[i].s_current)
			continue;
		err = std_info(&cs->cs_suite[i].s_object, info, sizeof(info),
			       NULL);
		if (err == STD_OK || err == STD_OVERFLOW) {
			*cap = cs->cs_suite[i].s_object;
			return STD_OK;
		}
	}
	return err;
}

errstat
cs_purge(capset *cs)
{
	errstat err = STD_OK, e;
	int i;

	for (i = 0; i < cs->cs_final; i++) {
		e = std_destroy(&cs->cs_suite[i].s_object);
		if (e != STD_OK)
			err = e;
	}
	cs_free(cs);
	return err;
}

int
cs_singleton(capset *cs, capability *cap)
{
	cs->cs_suite = cs_alloc(1);
	if (cs->cs_suite == NULL)
		return 0;
	cs->cs_suite[0].s_object = *cap;
	cs->cs_suite[0].s_current = 1;
	cs->cs_initial = cs->cs_final = 1;
	return 1;
}

char *
buf_put_capset(char *p, char *endbuf, capset *cs)
{
	int i;

	if (cs == NULL || cs->cs_final < 0 || cs->cs_final > MAXCAPSET)
		return NULL;
	p = buf_put_int16(p, endbuf, cs->cs_initial);
	p = buf_put_int16(p, endbuf, cs->cs_final);
	for (i = 0; i < cs->cs_final; i++) {
		p = buf_put_cap(p, endbuf, &cs->cs_suite[i].s_object);
		p = buf_put_int16(p, endbuf, cs->cs_suite[i].s_current);
	}
	return p;
}

char *
buf_get_capset(char *p, char *endbuf, capset *cs)
{
	int16 initial, final, cur;
	suite *s;
	int i;

	p = buf_get_int16(p, endbuf, &initial);
	p = buf_get_int16(p, endbuf, &final);
	if (p == NULL || final < 0 || final > MAXCAPSET)
		return NULL;
	s = cs_alloc(final);
	if (s == NULL)
		return NULL;
	for (i = 0; i < final; i++) {
		p = buf_get_cap(p, endbuf, &s[i].s_object);
		p = buf_get_int16(p, endbuf, &cur);
		s[i].s_current = cur;
	}
	if (p == NULL) {
		free(s);
		return NULL;
	}
	cs->cs_initial = initial;
	cs->cs_final = final;
	cs->cs_suite = s;
	return p;
}
