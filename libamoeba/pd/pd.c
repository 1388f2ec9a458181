/*
 * pd.c - marshal and parse process descriptors (see amoeba/pd.h).
 *
 * Portable: built into the kernel, the host tools and libamoeba.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <amoeba/pd.h>

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int
get_segments(const uint8_t *buf, size_t len, struct pd_info *pd)
{
	size_t off = PD_HDRSIZE;

	if (len < off + (size_t)pd->nseg * PD_SEGSIZE)
		return STD_ARGBAD;
	for (int i = 0; i < pd->nseg; i++, off += PD_SEGSIZE) {
		struct pd_segment *s = &pd->seg[i];

		memcpy(&s->sd_cap, buf + off, CAPSIZE);
		s->sd_offset = (int32_t)get32(buf + off + 16);
		s->sd_addr = get32(buf + off + 20);
		s->sd_len = get32(buf + off + 24);
		s->sd_type = get32(buf + off + 28);
	}
	return (int)off;
}

static int
get_threads(const uint8_t *buf, size_t len, size_t off, struct pd_info *pd)
{
	for (int i = 0; i < pd->nthread; i++) {
		struct pd_thread *t = &pd->thread[i];
		uint32_t tlen;

		if (len < off + PD_THREADSIZE)
			return STD_ARGBAD;
		t->td_state = (int32_t)get32(buf + off);
		tlen = get32(buf + off + 4);
		t->td_extra = (int32_t)get32(buf + off + 8);
		if (t->td_extra != TDX_IDLE || tlen != PD_THREADSIZE + 8 ||
		    len < off + tlen)
			return STD_ARGBAD;
		t->pc = get32(buf + off + 12);
		t->sp = get32(buf + off + 16);
		off += tlen;
	}
	return (int)off;
}

int
pd_get(const uint8_t *buf, size_t len, struct pd_info *pd)
{
	int off;

	if (buf == NULL || len < PD_HDRSIZE || len > (size_t)1 << 30)
		return STD_ARGBAD;
	memset(pd, 0, sizeof(*pd));
	memcpy(pd->magic, buf, 8);
	if (memcmp(pd->magic, PD_ARCH, sizeof(PD_ARCH)) != 0)
		return STD_COMBAD;
	memcpy(&pd->self, buf + 8, CAPSIZE);
	memcpy(&pd->owner, buf + 24, CAPSIZE);
	pd->nseg = buf[40] | buf[41] << 8;
	pd->nthread = buf[42] | buf[43] << 8;
	if (pd->nseg <= 0 || pd->nseg > PD_MAXSEG || pd->nthread <= 0 ||
	    pd->nthread > PD_MAXTHREAD)
		return STD_ARGBAD;
	off = get_segments(buf, len, pd);
	if (off < 0)
		return off;
	return get_threads(buf, len, (size_t)off, pd);
}

size_t
pd_size(const struct pd_info *pd)
{
	return PD_HDRSIZE + (size_t)pd->nseg * PD_SEGSIZE +
	       (size_t)pd->nthread * (PD_THREADSIZE + 8);
}

int
pd_put(const struct pd_info *pd, uint8_t *buf, size_t len)
{
	size_t off = PD_HDRSIZE;

	if (pd->nseg <= 0 || pd->nseg > PD_MAXSEG || pd->nthread <= 0 ||
	    pd->nthread > PD_MAXTHREAD || len < pd_size(pd))
		return -1;
	memset(buf, 0, pd_size(pd));
	memcpy(buf, pd->magic, 8);
	memcpy(buf + 8, &pd->self, CAPSIZE);
	memcpy(buf + 24, &pd->owner, CAPSIZE);
	buf[40] = (uint8_t)pd->nseg;
	buf[41] = (uint8_t)(pd->nseg >> 8);
	buf[42] = (uint8_t)pd->nthread;
	buf[43] = (uint8_t)(pd->nthread >> 8);
	for (int i = 0; i < pd->nseg; i++, off += PD_SEGSIZE) {
		const struct pd_segment *s = &pd->seg[i];

		memcpy(buf + off, &s->sd_cap, CAPSIZE);
		put32(buf + off + 16, (uint32_t)s->sd_offset);
		put32(buf + off + 20, s->sd_addr);
		put32(buf + off + 24, s->sd_len);
		put32(buf + off + 28, s->sd_type);
	}
	for (int i = 0; i < pd->nthread; i++, off += PD_THREADSIZE + 8) {
		put32(buf + off, (uint32_t)pd->thread[i].td_state);
		put32(buf + off + 4, PD_THREADSIZE + 8);
		put32(buf + off + 8, TDX_IDLE);
		put32(buf + off + 12, pd->thread[i].pc);
		put32(buf + off + 16, pd->thread[i].sp);
	}
	return (int)off;
}
