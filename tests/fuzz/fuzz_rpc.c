/*
 * fuzz_rpc.c - FLIP payloads straight into node B's RPC layer (its
 * receive and notdeliver upcalls): amphdr types and flags, lying
 * offsets/lengths/totals, fragments of unknown messages, requests for
 * B's port from unknown kernels.  B must keep serving.
 *
 * Input: byte 0 selects upcall/dst/src/port patching; bytes 1..12 are
 * messid, offset and total; the rest is the payload.
 */
#include <string.h>
#include "rpc/rpc_wire.h"
#include "fuzz_common.h"

static uint32_t
fz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const flip_adr_t null;
	uint8_t pay[4096];
	flip_adr_t dst, src;
	uint32_t messid, offset, total, len;
	uint8_t sel;

	fz_world();
	if (size < 13)
		return 0;
	sel = data[0];
	messid = fz_u32(data + 1);
	offset = sel & 0x20 ? fz_u32(data + 5) : 0;
	len = size - 13 > sizeof(pay) ? sizeof(pay) : size - 13;
	total = sel & 0x40 ? fz_u32(data + 9) : offset + len;
	memcpy(pay, data + 13, len);
	if ((sel & 0x10) && len >= RPC_AMPHDR_SIZE)	/* aim at B's port */
		memcpy(pay + 8, fz_srv.c.sv.putport._portbytes, PORTSIZE);
	dst = (sel & 6) == 0 ? null : fz_b->proc.pub;
	if ((sel & 6) == 6)
		dst.a_abytes[3] ^= 0x5a;		/* unknown process */
	memset(&src, 0, sizeof(src));
	src.a_abytes[0] = 0x42;
	src.a_abytes[1] = sel;
	if (sel & 0x80)
		src = fz_a->proc.pub;
	if (sel & 1)
		rpc_flip_notdeliver(&fz_b->rn, pay, &dst, messid, offset, len,
				    total, sel & 0x30);
	else
		rpc_flip_receive(&fz_b->rn, pay, &dst, &src, messid, offset,
				 len, total, 0);
	fz_after_input();
	return 0;
}
