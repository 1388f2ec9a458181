/*
 * test_group_h.c - the Amoeba user header group.h: it compiles on its
 * own, the calls are renamed to _grp_* as in Amoeba 5.3, and grpstate_t
 * has the layout of the group layer's struct grp_state.
 */
#include <stddef.h>
#include <string.h>
#include <group.h>
#include <groupvar.h>
#include "check.h"

/* The user calls are system-call stubs; here only their types matter. */
static g_id_t (*const create_fn)(port *, g_indx_t, g_indx_t, uint32,
				 uint32) = grp_create;
static int32 (*const receive_fn)(g_id_t, header_p, bufptr, uint32,
				 int *) = grp_receive;

g_id_t _grp_create(port *p, g_indx_t r, g_indx_t m, uint32 nb, uint32 mm)
{
	(void)p, (void)r, (void)m, (void)nb, (void)mm;
	return BC_BADPORT;
}

int32 _grp_receive(g_id_t gid, header_p hdr, bufptr buf, uint32 cnt,
		   int *more)
{
	(void)gid, (void)hdr, (void)buf, (void)cnt, (void)more;
	return BC_ABORT;
}

int
main(void)
{
	port p;

	memset(&p, 0, sizeof(p));
	CHECK(sizeof(grpstate_t) == 20 &&
	      offsetof(grpstate_t, st_unstable) == 8 &&
	      offsetof(grpstate_t, st_total) == 12 &&
	      offsetof(grpstate_t, st_seqid) == 16,
	      "grpstate_t: 3 x u32 then 3 x u16");
	CHECK(create_fn(&p, 0, 2, 4, 10) == BC_BADPORT &&
	      receive_fn(0, NULL, NULL, 0, NULL) == BC_ABORT,
	      "grp_create and grp_receive link as _grp_create/_grp_receive");
	CHECK(BC_FAIL == -20 && BC_ABORT == -21 && BC_TOOBIG == -22 &&
	      BC_BADPORT == -23 && BC_NOEXIST == -24 && BC_TOOMANY == -25 &&
	      BC_ILLRESET == -28, "BC_* error codes as in Amoeba 5.3");
	CHECK(GRP_VAR_SYNC_TIMEOUT == 1 && GRP_VAR_DEBUG_LEVEL == 7,
	      "groupvar.h ids");
	return TEST_DONE();
}
