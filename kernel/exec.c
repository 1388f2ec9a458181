/*
 * exec.c - start a process from a process descriptor (spec 8.1-8.4).
 *
 * The image is an Amoeba executable: the marshalled PD, then the bytes
 * that segments with a null capability and a non-zero sd_offset load
 * from.  Segments with a null capability and offset 0 are zero-filled
 * (bss, stack); a capability naming one of this node's segments is
 * copied from it; one naming another server's object is read through the
 * fetcher the process server registers (proc_set_fetcher); with
 * MAP_AND_DESTROY the source is destroyed after the copy.  A stack
 * segment with a null capability receives argv, the environment and the
 * capability environment the kernel was given (pd_buildstack); one with
 * a capability was built by the client (exec_file, spec 8.3) and is
 * copied like any other segment, the thread starting at the PD's sp,
 * and the process is named after that stack's argv[0].
 * A checkpointed PD (its threads TDX_KSTATE | TDX_USTATE, spec 8.6) is an
 * immigrating process: every segment is copied (from the old node's
 * segment server by BS_READ) and each thread starts from its fault
 * frame, kernel state and FPU state (TDX_VXFPU).
 * Entry point: proc_exec.
 */
#include <string.h>

#include "kernel/arch/arch.h"
#include <stderr.h>
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include <amoeba/pd.h>
#include <server/process/proc.h>

#define DEFAULT_STACK (64u * 1024)

static bool
cap_is_null(const capability *c)
{
	static const capability zero;

	return memcmp(&c->cap_port, &zero.cap_port, sizeof(port)) == 0;
}

static bool
is_stack(const struct pd_segment *sd)
{
	return (sd->sd_type & MAP_SYSTEM) ||
	       ((sd->sd_type & MAP_GROWMASK) == MAP_GROWDOWN &&
		(sd->sd_type & MAP_TYPEMASK) == MAP_TYPEDATA);
}

static proc_fetch_fn fetcher;	/* reads objects of other servers */
static proc_destroy_fn destroyer; /* destroys them (MAP_AND_DESTROY) */

void
proc_set_fetcher(proc_fetch_fn fn, proc_destroy_fn dfn)
{
	fetcher = fn;
	destroyer = dfn;
}

/* MAP_AND_DESTROY: the contents are copied; destroy the source object. */
static void
destroy_source(const struct pd_segment *sd)
{
	rights_bits r;
	errstat err;
	struct segment *src;

	if (!(sd->sd_type & MAP_AND_DESTROY) || cap_is_null(&sd->sd_cap))
		return;
	if (memcmp(&sd->sd_cap.cap_port, &seg_server_port, sizeof(port)) != 0) {
		if (destroyer != NULL)
			(void)destroyer(&sd->sd_cap);
		return;
	}
	src = seg_lookup(&sd->sd_cap, &r, &err);
	if (src != NULL && (r & PSR_DELETE))
		(void)seg_destroy(src);
}

/* Fill segment s (mapped at va0, contents start at skew) from the PD. */
static errstat
load_contents(struct segment *s, uint32_t skew, const struct pd_segment *sd,
	      const uint8_t *image, size_t len)
{
	errstat err;
	rights_bits r;
	struct segment *src;

	if (cap_is_null(&sd->sd_cap)) {
		if (sd->sd_offset == 0)
			return STD_OK;
		if (sd->sd_offset < 0 || (size_t)sd->sd_offset > len ||
		    sd->sd_len > len - (size_t)sd->sd_offset)
			return STD_ARGBAD;
		return seg_write(s, skew, image + sd->sd_offset, sd->sd_len);
	}
	if (memcmp(&sd->sd_cap.cap_port, &seg_server_port, sizeof(port)) != 0) {
		if (sd->sd_offset < 0)
			return STD_ARGBAD;
		if (fetcher == NULL)
			return STD_NOTFOUND;
		return fetcher(&sd->sd_cap, (uint32_t)sd->sd_offset,
			       (uint8_t *)(s->pa + skew), sd->sd_len);
	}
	src = seg_lookup(&sd->sd_cap, &r, &err);
	if (src == NULL)
		return err;
	if (!(r & PSR_READ))
		return STD_DENIED;
	if (sd->sd_offset < 0 || (uint32_t)sd->sd_offset > src->len ||
	    sd->sd_len > src->len - (uint32_t)sd->sd_offset)
		return STD_ARGBAD;
	return seg_write(s, skew, (void *)(src->pa + (uint32_t)sd->sd_offset),
			 sd->sd_len);
}

/*
 * Migration: read-only contents read from another server's object (a
 * program's text in a Bullet file) are named in the mapping, so that a
 * checkpoint sends a new node there instead of to this node (psckpt.c).
 */
static void
note_origin(struct mapping *m, const struct pd_segment *sd)
{
	if (cap_is_null(&sd->sd_cap) || sd->sd_offset < 0 ||
	    (sd->sd_type & MAP_AND_DESTROY) ||
	    memcmp(&sd->sd_cap.cap_port, &seg_server_port, sizeof(port)) == 0)
		return;
	m->origin = sd->sd_cap;
	m->origin_off = sd->sd_offset;
	m->origin_addr = sd->sd_addr;
	m->origin_len = sd->sd_len;
}

static errstat
map_segment(struct proc *p, const struct pd_segment *sd, const uint8_t *image,
	    size_t len)
{
	uint32_t va = ALIGN_DOWN(sd->sd_addr, PAGE_SIZE);
	uint32_t skew = sd->sd_addr - va;
	uint32_t type = sd->sd_type & ~(MAP_BINARY | MAP_AND_DESTROY |
					MAP_INPLACE);
	bool rw = (type & MAP_PROTMASK) == MAP_READWRITE;
	struct segment *s;
	errstat err;
	int idx;

	if (sd->sd_len > SEG_MAXLEN || sd->sd_addr < USER_BASE)
		return STD_ARGBAD;
	s = seg_create(skew + sd->sd_len);
	if (s == NULL)
		return STD_NOMEM;
	err = load_contents(s, skew, sd, image, len);
	if (err == STD_OK)
		destroy_source(sd);
	if (err == STD_OK) {
		idx = proc_map(p, s, va, rw, type);
		if (idx < 0)
			err = idx;
		else if ((type & MAP_GROWMASK) == MAP_GROWUP)
			p->heap_va = idx + 1; /* mapping index + 1 */
		if (idx >= 0 && !rw)
			note_origin(&p->map[idx], sd);
	}
	seg_unref(s); /* the mapping holds it now */
	return err;
}

static errstat
make_stack(struct proc *p, const struct pd_segment *sd,
	   const char *const *argv, const char *const *envp,
	   const struct cap_env *caps, int ncaps, uint32_t *sp)
{
	uint32_t len = ALIGN_UP(sd->sd_len ? sd->sd_len : DEFAULT_STACK,
				PAGE_SIZE);
	uint32_t end = sd->sd_addr ? sd->sd_addr + sd->sd_len : USER_END;
	struct segment *s;
	int idx;

	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (len > SEG_MAXLEN || end < USER_BASE + len || end > USER_END)
		return STD_ARGBAD;
	s = seg_create(len);
	if (s == NULL)
		return STD_NOMEM;
	idx = pd_buildstack((uint8_t *)s->pa, len, end - len, argv, envp, caps,
			    ncaps, sp);
	if (idx == STD_OK)
		idx = proc_map(p, s, end - len, true, sd->sd_type & ~MAP_BINARY);
	seg_unref(s);
	return idx < 0 ? idx : STD_OK;
}

/* Copy n bytes at user address va of p (not running yet) into dst. */
static bool
peek(const struct proc *p, uint32_t va, void *dst, uint32_t n)
{
	for (int i = 0; i < PROC_MAXMAP; i++) {
		const struct mapping *m = &p->map[i];

		if (m->seg == NULL || va < m->va || va - m->va >= m->seg->len ||
		    n > m->seg->len - (va - m->va))
			continue;
		memcpy(dst, (const void *)(m->seg->pa + (va - m->va)), n);
		return true;
	}
	return false;
}

/*
 * A client-built stack: the process's name is the last path component
 * of its argv[0] ([sp + 4] = argv), as std_status and aps show it.
 */
static void
name_from_stack(struct proc *p, uint32_t sp)
{
	char buf[PROC_NAME * 4], *base;
	uint32_t argv, arg0;
	int i;

	if (!peek(p, sp + 4, &argv, 4) || !peek(p, argv, &arg0, 4))
		return;
	for (i = 0; i < (int)sizeof(buf) - 1 && peek(p, arg0 + (uint32_t)i,
						   &buf[i], 1); i++)
		if (buf[i] == 0)
			break;
	buf[i] = 0;
	base = strrchr(buf, '/');
	base = base != NULL ? base + 1 : buf;
	if (base[0] != 0) {
		strncpy(p->name, base, PROC_NAME - 1);
		p->name[PROC_NAME - 1] = 0;
	}
}

static errstat
exec_segments(struct proc *p, const struct pd_info *pd, const uint8_t *image,
	      size_t len, const char *const *argv, const char *const *envp,
	      const struct cap_env *caps, int ncaps, uint32_t *sp)
{
	errstat err = STD_OK;
	bool immig = pd->thread[0].td_extra != TDX_IDLE;

	*sp = 0;
	for (int i = 0; i < pd->nseg && err == STD_OK; i++) {
		const struct pd_segment *sd = &pd->seg[i];

		if ((sd->sd_type & ~MAP_BINARY) == 0)
			continue; /* symbol table and the like */
		if (immig)
			err = map_segment(p, sd, image, len);
		else if (is_stack(sd) && *sp == 0 && cap_is_null(&sd->sd_cap))
			err = make_stack(p, sd, argv, envp, caps, ncaps, sp);
		else if (is_stack(sd) && *sp == 0) { /* built by the client */
			err = map_segment(p, sd, image, len);
			*sp = pd->thread[0].sp;
			if (*sp < sd->sd_addr || *sp >= sd->sd_addr + sd->sd_len)
				err = err == STD_OK ? STD_ARGBAD : err;
			else
				name_from_stack(p, *sp);
		} else
			err = map_segment(p, sd, image, len);
	}
	if (immig)
		*sp = pd->thread[0].sp;
	else if (err == STD_OK && *sp == 0) /* no stack segment: make one */ {
		struct pd_segment def = { .sd_type = MAP_GROWDOWN |
				MAP_TYPEDATA | MAP_READWRITE | MAP_SYSTEM };
		err = make_stack(p, &def, argv, envp, caps, ncaps, sp);
	}
	return err;
}

/* The threads of a checkpointed PD, each from its saved state. */
static errstat
immigrate_threads(struct proc *p, const struct pd_info *pd)
{
	for (int i = 0; i < pd->nthread; i++) {
		const struct pd_thread *td = &pd->thread[i];

		if (td->td_extra == TDX_IDLE)
			return STD_ARGBAD;	/* all checkpointed or none */
		if (td->pc < USER_BASE || td->pc >= USER_END)
			return STD_ARGBAD;
	}
	if (pd->thread[0].name[0] != 0) {
		strncpy(p->name, pd->thread[0].name, PROC_NAME - 1);
		p->name[PROC_NAME - 1] = 0;
	}
	for (int i = 0; i < pd->nthread; i++) {
		const struct pd_thread *td = &pd->thread[i];

		if (proc_new_thread_frame(p, td->ustate, td->kstate,
					  td->fpu) == NULL)
			return STD_NOSPACE;
	}
	return STD_OK;
}

struct proc *
proc_exec(const uint8_t *image, size_t len, const char *name,
	  const char *const *argv, const char *const *envp,
	  const struct cap_env *caps, int ncaps, int prio, errstat *err)
{
	struct pd_info pd;
	struct proc *p;
	uint32_t sp;
	int n = pd_get(image, len, &pd);

	if (n < 0) {
		*err = n;
		return NULL;
	}
	p = proc_create(name, prio);
	if (p == NULL) {
		*err = STD_NOSPACE;
		return NULL;
	}
	p->owner = pd.owner;
	*err = exec_segments(p, &pd, image, len, argv, envp, caps, ncaps, &sp);
	if (*err == STD_OK && (pd.thread[0].pc < USER_BASE ||
			       pd.thread[0].pc >= USER_END))
		*err = STD_ARGBAD;
	if (*err == STD_OK && pd.thread[0].td_extra != TDX_IDLE)
		*err = immigrate_threads(p, &pd);
	else if (*err == STD_OK) {
		uint32_t tsp = pd.thread[0].sp ? pd.thread[0].sp : sp;

		if (proc_new_thread(p, pd.thread[0].pc, tsp, 0) == NULL)
			*err = STD_NOSPACE;
	}
	if (*err != STD_OK && p->nthreads > 0) {	/* some immigrated */
		proc_kill(p, PROC_KILLED, -1);
		proc_detach(p);
		return NULL;
	}
	if (*err != STD_OK) {
		struct proc_exit ex;

		proc_abort(p);
		proc_wait(p, &ex);
		return NULL;
	}
	return p;
}
