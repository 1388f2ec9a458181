/*
 * exec.c - start a process from a process descriptor (spec 8.1-8.4).
 *
 * The image is an Amoeba executable: the marshalled PD, then the bytes
 * that segments with a null capability and a non-zero sd_offset load
 * from.  Segments with a null capability and offset 0 are zero-filled
 * (bss, stack); a capability naming one of this node's segments is
 * copied from it; one naming another server's object is read through the
 * fetcher the process server registers (proc_set_fetcher).  The stack segment receives argv, the environment and
 * the capability environment laid out as Amoeba's buildstack does.
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
#define MAX_ARGBYTES (64u * 1024)

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

void
proc_set_fetcher(proc_fetch_fn fn)
{
	fetcher = fn;
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

static errstat
map_segment(struct proc *p, const struct pd_segment *sd, const uint8_t *image,
	    size_t len)
{
	uint32_t va = ALIGN_DOWN(sd->sd_addr, PAGE_SIZE);
	uint32_t skew = sd->sd_addr - va;
	uint32_t type = sd->sd_type & ~MAP_BINARY;
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
	if (err == STD_OK) {
		idx = proc_map(p, s, va, rw, type);
		if (idx < 0)
			err = idx;
		else if ((type & MAP_GROWMASK) == MAP_GROWUP)
			p->heap_va = idx + 1; /* mapping index + 1 */
	}
	seg_unref(s); /* the mapping holds it now */
	return err;
}

struct stack_img {
	uint8_t *base;  /* kernel pointer to the segment's memory */
	uint32_t va;    /* user address of base */
	uint32_t top;   /* offset of the next free byte going down */
	bool overflow;
};

static uint32_t
push_bytes(struct stack_img *st, const void *data, uint32_t n)
{
	if (st->overflow || n > st->top) {
		st->overflow = true;
		return 0;
	}
	st->top -= n;
	memcpy(st->base + st->top, data, n);
	return st->va + st->top;
}

static uint32_t
push_word(struct stack_img *st, uint32_t w)
{
	return push_bytes(st, &w, 4);
}

static void
align4(struct stack_img *st)
{
	st->top &= ~3u;
}

/* Strings, then the NULL-terminated pointer array; returns the array. */
static uint32_t
push_strings(struct stack_img *st, const char *const *v, uint32_t *count)
{
	uint32_t ptrs[64];
	int n = 0;

	for (; v && v[n] && n < 64; n++)
		ptrs[n] = push_bytes(st, v[n], (uint32_t)strlen(v[n]) + 1);
	align4(st);
	push_word(st, 0);
	for (int i = n - 1; i >= 0; i--)
		push_word(st, ptrs[i]);
	if (count)
		*count = (uint32_t)n;
	return st->va + st->top;
}

/* Capability values and names, then capv pairs; returns capv. */
static uint32_t
push_caps(struct stack_img *st, const struct cap_env *caps, int ncaps)
{
	uint32_t cap_va[16], name_va[16];

	if (ncaps > 16)
		ncaps = 16;
	for (int i = ncaps - 1; i >= 0; i--)
		cap_va[i] = push_bytes(st, &caps[i].cap, sizeof(capability));
	for (int i = ncaps - 1; i >= 0; i--)
		name_va[i] = push_bytes(st, caps[i].name,
					(uint32_t)strlen(caps[i].name) + 1);
	align4(st);
	push_word(st, 0);
	push_word(st, 0);
	for (int i = ncaps - 1; i >= 0; i--) {
		push_word(st, cap_va[i]);
		push_word(st, name_va[i]);
	}
	return st->va + st->top;
}

static const char *const default_argv[] = { "-", NULL };

/* Build the initial stack in the stack segment; returns the user sp. */
static uint32_t
build_stack(struct segment *s, uint32_t va, const char *const *argv,
	    const char *const *envp, const struct cap_env *caps, int ncaps)
{
	struct stack_img st = { (uint8_t *)s->pa, va, s->len, false };
	uint32_t capv, envv, argvv, argc;

	if (argv == NULL || argv[0] == NULL)
		argv = default_argv;
	capv = push_caps(&st, caps, ncaps);
	envv = push_strings(&st, envp, NULL);
	argvv = push_strings(&st, argv, &argc);
	st.top &= ~15u;
	push_word(&st, capv);
	push_word(&st, envv);
	push_word(&st, argvv);
	push_word(&st, argc);
	return st.overflow ? 0 : st.va + st.top;
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
	*sp = build_stack(s, end - len, argv, envp, caps, ncaps);
	idx = *sp ? proc_map(p, s, end - len, true, sd->sd_type & ~MAP_BINARY)
		  : STD_NOSPACE;
	seg_unref(s);
	return idx < 0 ? idx : STD_OK;
}

static errstat
exec_segments(struct proc *p, const struct pd_info *pd, const uint8_t *image,
	      size_t len, const char *const *argv, const char *const *envp,
	      const struct cap_env *caps, int ncaps, uint32_t *sp)
{
	errstat err = STD_OK;

	*sp = 0;
	for (int i = 0; i < pd->nseg && err == STD_OK; i++) {
		const struct pd_segment *sd = &pd->seg[i];

		if ((sd->sd_type & ~MAP_BINARY) == 0)
			continue; /* symbol table and the like */
		if (is_stack(sd) && *sp == 0)
			err = make_stack(p, sd, argv, envp, caps, ncaps, sp);
		else
			err = map_segment(p, sd, image, len);
	}
	if (err == STD_OK && *sp == 0) /* no stack segment: make one */ {
		struct pd_segment def = { .sd_type = MAP_GROWDOWN |
				MAP_TYPEDATA | MAP_READWRITE | MAP_SYSTEM };
		err = make_stack(p, &def, argv, envp, caps, ncaps, sp);
	}
	return err;
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
	if (*err == STD_OK) {
		uint32_t tsp = pd.thread[0].sp ? pd.thread[0].sp : sp;

		if (proc_new_thread(p, pd.thread[0].pc, tsp, 0) == NULL)
			*err = STD_NOSPACE;
	}
	if (*err != STD_OK) {
		struct proc_exit ex;

		proc_abort(p);
		proc_wait(p, &ex);
		return NULL;
	}
	return p;
}
