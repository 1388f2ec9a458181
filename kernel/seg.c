/*
 * seg.c - segments (see seg.h).
 *
 * Entry points: seg_create, seg_grow, seg_ref, seg_unref, seg_read,
 * seg_write, seg_cap, seg_lookup.  Segments are contiguous runs of pages;
 * growing one that cannot grow in place moves it and remaps it in every
 * process that has it mapped (through the seg_mapper that kernel/proc.c
 * registers).
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include <stderr.h>
#include "kernel/klib.h"
#include "kernel/krandom.h"
#include "kernel/mem.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include <module/prv.h>

static struct segment segs[NSEG];
port seg_server_port;

static const struct seg_mapper *mapper;

void
seg_init(void)
{
	port get;

	krandom(&get, sizeof(get));
	priv2pub(&get, &seg_server_port);
}

static uint32_t
pages_for(uint32_t len)
{
	return len ? (len + PAGE_SIZE - 1) / PAGE_SIZE : 1;
}

struct segment *
seg_create(uint32_t len)
{
	struct segment *s = NULL;
	uint32_t f, pa;

	if (len > SEG_MAXLEN)
		return NULL;
	pa = page_alloc(pages_for(len));
	if (pa == 0)
		return NULL;
	f = arch_irq_save();
	for (int i = 0; i < NSEG; i++) {
		if (!segs[i].used) {
			s = &segs[i];
			s->used = true;
			break;
		}
	}
	arch_irq_restore(f);
	if (s == NULL) {
		page_free(pa, pages_for(len));
		return NULL;
	}
	s->id = (int)(s - segs);
	s->pa = pa;
	s->npages = pages_for(len);
	s->len = len;
	s->refs = 1;
	s->mapcount = 0;
	s->capref = false;
	s->creator = NULL;
	s->pins = 0;
	krandom(&s->random, sizeof(s->random));
	return s;
}

errstat
seg_grow(struct segment *s, uint32_t newlen)
{
	uint32_t need = pages_for(newlen), old_len = s->len;
	uint32_t pa;

	if (newlen > SEG_MAXLEN)
		return STD_NOSPACE;
	/* a local IPC maps its pages elsewhere: they must stay put (growth
	 * in place, below, leaves them where they are) */
	if (s->pins > 0 && newlen < s->len)
		return STD_NOTNOW;
	if (need <= s->npages) {
		if (newlen < s->len) /* shrink: clear the dropped tail */
			memset((void *)(s->pa + newlen), 0, s->len - newlen);
		if (need < s->npages) {
			page_free(s->pa + need * PAGE_SIZE, s->npages - need);
			s->npages = need;
		}
		s->len = newlen;
		if (mapper)
			mapper->moved(s, old_len);
		return STD_OK;
	}
	if (mapper && mapper->reserve(s, newlen) != STD_OK)
		return STD_NOSPACE; /* no page for a page table */
	if (page_extend(s->pa + s->npages * PAGE_SIZE, need - s->npages)) {
		s->npages = need;	/* grown in place: nothing moves */
		s->len = newlen;
		if (mapper)
			mapper->moved(s, old_len);
		return STD_OK;
	}
	if (s->pins > 0)
		return STD_NOTNOW;
	pa = page_alloc(need);
	if (pa == 0)
		return STD_NOSPACE;
	memcpy((void *)pa, (void *)s->pa, s->len);
	/* futex waiters sleep on physical addresses: let them look again */
	thread_wakeup_range(s->pa, s->pa + s->npages * PAGE_SIZE);
	page_free(s->pa, s->npages);
	s->pa = pa;
	s->npages = need;
	s->len = newlen;
	if (mapper)
		mapper->moved(s, old_len);
	return STD_OK;
}

void
seg_set_mapper(const struct seg_mapper *m)
{
	mapper = m;
}

void
seg_ref(struct segment *s)
{
	s->refs++;
}

void
seg_unref(struct segment *s)
{
	KASSERT(s->refs > 0);
	if (--s->refs > 0)
		return;
	page_free(s->pa, s->npages);
	s->pa = 0;
	s->used = false;
}

errstat
seg_write(struct segment *s, uint32_t off, const void *buf, uint32_t n)
{
	if (off > s->len || n > s->len - off)
		return STD_ARGBAD;
	memcpy((void *)(s->pa + off), buf, n);
	return STD_OK;
}

errstat
seg_read(struct segment *s, uint32_t off, void *buf, uint32_t n)
{
	if (off > s->len || n > s->len - off)
		return STD_ARGBAD;
	memcpy(buf, (void *)(s->pa + off), n);
	return STD_OK;
}

void
seg_cap(struct segment *s, rights_bits rights, capability *cap)
{
	cap->cap_port = seg_server_port;
	prv_encode(&cap->cap_priv, ('S' << 16) | s->id, rights, &s->random);
}

struct segment *
seg_lookup(const capability *cap, rights_bits *rights, errstat *err)
{
	objnum obj = prv_number(&cap->cap_priv);
	int id = obj & 0xFFFF;
	struct segment *s;

	*err = STD_CAPBAD;
	if (memcmp(&cap->cap_port, &seg_server_port, sizeof(port)) != 0 ||
	    (obj >> 16) != 'S' || id >= NSEG)
		return NULL;
	s = &segs[id];
	if (!s->used || prv_decode(&cap->cap_priv, rights, &s->random) < 0)
		return NULL;
	*err = STD_OK;
	return s;
}

int
seg_count(void)
{
	int n = 0;

	for (int i = 0; i < NSEG; i++)
		n += segs[i].used;
	return n;
}

void
seg_keep(struct segment *s, struct proc *creator)
{
	if (s->capref)
		return;
	seg_ref(s);
	s->capref = true;
	s->creator = creator;
}

errstat
seg_destroy(struct segment *s)
{
	if (s->mapcount || !s->capref)
		return STD_NOTNOW;
	s->capref = false;
	s->creator = NULL;
	seg_unref(s);
	return STD_OK;
}

/*
 * seg_release_creator: p ends; drop the capability references it holds.
 * A segment still mapped elsewhere lives on through those mappings.
 */
void
seg_release_creator(struct proc *p)
{
	for (int i = 0; i < NSEG; i++) {
		struct segment *s = &segs[i];

		if (s->used && s->capref && s->creator == p) {
			s->capref = false;
			s->creator = NULL;
			seg_unref(s);
		}
	}
}
