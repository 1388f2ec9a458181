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

/*
 * The form a thread is written in: TDX_IDLE, or TDX_RUNNING with the VX
 * extras whose data is there (an FPU image, a name).
 */
static int32_t
put_form(const struct pd_thread *t)
{
	int32_t x = t->td_extra;

	if ((x & TDX_RUNNING) != TDX_RUNNING)
		return TDX_IDLE;
	x &= TDX_RUNNING | TDX_VXFPU | TDX_VXNAME;
	if (t->fpu == NULL)
		x &= ~TDX_VXFPU;
	if (t->name[0] == 0)
		x &= ~TDX_VXNAME;
	return x;
}

/* The marshalled size of a thread of form x; 0 for an unknown form. */
static uint32_t
thread_size(int32_t x)
{
	uint32_t n = PD_THREADSIZE + PD_KSTATESIZE + PD_USTATESIZE;

	if (x == TDX_IDLE)
		return PD_THREADSIZE + 8;
	if ((x & TDX_RUNNING) != TDX_RUNNING ||
	    (x & ~(TDX_RUNNING | TDX_VXFPU | TDX_VXNAME)) != 0)
		return 0;
	if (x & TDX_VXFPU)
		n += PD_FPUSIZE;
	if (x & TDX_VXNAME)
		n += PD_NAMESIZE;
	return n;
}

static int
get_threads(const uint8_t *buf, size_t len, size_t off, struct pd_info *pd)
{
	for (int i = 0; i < pd->nthread; i++) {
		struct pd_thread *t = &pd->thread[i];
		const uint8_t *b;
		uint32_t tlen;

		if (len < off + PD_THREADSIZE)
			return STD_ARGBAD;
		t->td_state = (int32_t)get32(buf + off);
		tlen = get32(buf + off + 4);
		t->td_extra = (int32_t)get32(buf + off + 8);
		if (tlen != thread_size(t->td_extra) || tlen == 0 ||
		    len < off + tlen)
			return STD_ARGBAD;
		b = buf + off + PD_THREADSIZE;
		off += tlen;
		if (t->td_extra == TDX_IDLE) {
			t->pc = get32(b);
			t->sp = get32(b + 4);
			continue;
		}
		for (int k = 0; k < PD_KSTATESIZE / 4; k++)
			t->kstate[k] = get32(b + 4 * k);
		b += PD_KSTATESIZE;
		for (int k = 0; k < PD_USTATESIZE / 4; k++)
			t->ustate[k] = get32(b + 4 * k);
		b += PD_USTATESIZE;
		if (t->td_extra & TDX_VXFPU) {
			t->fpu = b;
			b += PD_FPUSIZE;
		}
		if (t->td_extra & TDX_VXNAME) {
			memcpy(t->name, b, PD_NAMESIZE);
			t->name[PD_NAMESIZE - 1] = 0;
		}
		t->pc = t->ustate[15];
		t->sp = t->ustate[18];
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
	size_t n = PD_HDRSIZE + (size_t)pd->nseg * PD_SEGSIZE;

	for (int i = 0; i < pd->nthread && i < PD_MAXTHREAD; i++)
		n += thread_size(put_form(&pd->thread[i]));
	return n;
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
	for (int i = 0; i < pd->nthread; i++) {
		const struct pd_thread *t = &pd->thread[i];
		int32_t x = put_form(t);
		uint8_t *b = buf + off + PD_THREADSIZE;

		put32(buf + off, (uint32_t)t->td_state);
		put32(buf + off + 4, thread_size(x));
		put32(buf + off + 8, (uint32_t)x);
		off += thread_size(x);
		if (x == TDX_IDLE) {
			put32(b, t->pc);
			put32(b + 4, t->sp);
			continue;
		}
		for (int k = 0; k < PD_KSTATESIZE / 4; k++)
			put32(b + 4 * k, t->kstate[k]);
		b += PD_KSTATESIZE;
		for (int k = 0; k < PD_USTATESIZE / 4; k++)
			put32(b + 4 * k, t->ustate[k]);
		b += PD_USTATESIZE;
		if (x & TDX_VXFPU) {
			memcpy(b, t->fpu, PD_FPUSIZE);
			b += PD_FPUSIZE;
		}
		if (x & TDX_VXNAME)
			strncpy((char *)b, t->name, PD_NAMESIZE - 1);
	}
	return (int)off;
}
