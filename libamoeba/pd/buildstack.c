/*
 * buildstack.c - the initial stack of a new process (spec 8.4), laid
 * out in a buffer that will become the process's stack segment.
 *
 * Portable: the kernel (exec.c, processes it starts itself) and the
 * exec library (exec_file, a stack built by the client) share it.
 *
 *   pd_stackneed   bytes the layout of argv, envp and caps takes
 *   pd_buildstack  write the layout at the top of a buffer; the user
 *                  stack pointer ([sp] = argc, argv, envp, capv)
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <amoeba/pd.h>

struct stack_img {
	uint8_t *base;		/* the buffer */
	uint32_t va;		/* user address of base */
	uint32_t top;		/* offset of the next free byte going down */
	int overflow;		/* something did not fit */
};

static const char *const default_argv[] = { "-", NULL };

static uint32_t
push_bytes(struct stack_img *st, const void *data, uint32_t n)
{
	if (st->overflow || n > st->top) {
		st->overflow = 1;
		return 0;
	}
	st->top -= n;
	if (st->base != NULL)
		memcpy(st->base + st->top, data, n);
	return st->va + st->top;
}

static void
push_word(struct stack_img *st, uint32_t w)
{
	uint8_t b[4] = { (uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16),
			 (uint8_t)(w >> 24) };

	push_bytes(st, b, 4);
}

/* Strings v[0] highest, then the NULL-terminated pointer array. */
static uint32_t
push_strings(struct stack_img *st, const char *const *v, uint32_t *count)
{
	uint32_t addr = st->va + st->top;
	int n = 0;

	for (; v != NULL && v[n] != NULL; n++)
		push_bytes(st, v[n], (uint32_t)strlen(v[n]) + 1);
	for (int i = 0; i < n; i++)	/* addr: where v[n - 1] went */
		addr -= (uint32_t)strlen(v[i]) + 1;
	st->top &= ~3u;
	push_word(st, 0);
	for (int i = n - 1; i >= 0; i--) {
		push_word(st, addr);
		if (i > 0)
			addr += (uint32_t)strlen(v[i]) + 1;
	}
	if (count != NULL)
		*count = (uint32_t)n;
	return st->va + st->top;
}

/* Capability values (the last entry highest), names, then capv pairs. */
static uint32_t
push_caps(struct stack_img *st, const struct cap_env *caps, int ncaps)
{
	uint32_t capend = st->va + st->top, addr;

	for (int i = ncaps - 1; i >= 0; i--)
		push_bytes(st, &caps[i].cap, CAPSIZE);
	addr = st->va + st->top;	/* the names end here */
	for (int i = ncaps - 1; i >= 0; i--)
		push_bytes(st, caps[i].name, (uint32_t)strlen(caps[i].name) + 1);
	st->top &= ~3u;
	push_word(st, 0);
	push_word(st, 0);
	for (int i = ncaps - 1; i >= 0; i--) {
		addr -= (uint32_t)strlen(caps[i].name) + 1;
		push_word(st, capend - (uint32_t)(ncaps - i) * CAPSIZE);
		push_word(st, addr);
	}
	return st->va + st->top;
}

/* Lay out into st; *sp the user stack pointer (valid unless overflow). */
static void
layout(struct stack_img *st, const char *const *argv, const char *const *envp,
       const struct cap_env *caps, int ncaps, uint32_t *sp)
{
	uint32_t capv, envv, argvv, argc;

	if (argv == NULL || argv[0] == NULL)
		argv = default_argv;
	if (caps == NULL || ncaps < 0)
		ncaps = 0;
	capv = push_caps(st, caps, ncaps);
	envv = push_strings(st, envp, NULL);
	argvv = push_strings(st, argv, &argc);
	st->top &= ~15u;
	push_word(st, capv);
	push_word(st, envv);
	push_word(st, argvv);
	push_word(st, argc);
	*sp = st->va + st->top;
}

uint32_t
pd_stackneed(const char *const *argv, const char *const *envp,
	     const struct cap_env *caps, int ncaps)
{
	struct stack_img st = { NULL, 0, 0x7FFFFFF0u, 0 };
	uint32_t sp;

	layout(&st, argv, envp, caps, ncaps, &sp);
	return 0x7FFFFFF0u - st.top;
}

errstat
pd_buildstack(uint8_t *buf, uint32_t len, uint32_t va,
	      const char *const *argv, const char *const *envp,
	      const struct cap_env *caps, int ncaps, uint32_t *sp)
{
	struct stack_img st = { buf, va, len & ~15u, 0 };

	if (buf == NULL || sp == NULL)
		return STD_ARGBAD;
	layout(&st, argv, envp, caps, ncaps, sp);
	return st.overflow ? STD_NOSPACE : STD_OK;
}
