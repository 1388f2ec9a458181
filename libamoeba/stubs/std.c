/*
 * std.c - client stubs of the standard commands: std_info, std_status,
 * std_destroy, std_touch, std_age, std_restrict, std_copy.  Portable: they call
 * trans(), which is the system call in user programs and the kernel's
 * own transaction in kernel code.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <stdcom.h>
#include <module/buffers.h>
#include <module/header.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/stdcmd.h>

static errstat
std_text(capability *cap, command cmd, char *buf, int n, int *len)
{
	header h;
	int32_t r;

	if (buf == NULL || n <= 0)
		return STD_ARGBAD;
	hdr_init(&h, cap, cmd);
	h.h_size = (bufsize)(n - 1 > MAX_OLD_BUFSIZE ? MAX_OLD_BUFSIZE : n - 1);
	r = rpc_trans(&h, NULL, 0, &h, buf, (f_size_t)n - 1);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	buf[r] = 0;
	if (len)
		*len = (int)r;
	return STD_OK;
}

errstat
std_info(capability *cap, char *buf, int n, int *len)
{
	return std_text(cap, STD_INFO, buf, n, len);
}

errstat
std_status(capability *cap, char *buf, int n, int *len)
{
	return std_text(cap, STD_STATUS, buf, n, len);
}

static errstat
std_simple(capability *cap, command cmd, int32 offset, header *out)
{
	header h;
	int32_t r;

	hdr_init(&h, cap, cmd);
	h.h_offset = offset;
	r = rpc_trans(&h, NULL, 0, &h, NULL, 0);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	if (out)
		*out = h;
	return STD_OK;
}

errstat
std_destroy(capability *cap)
{
	return std_simple(cap, STD_DESTROY, 0, NULL);
}

errstat
std_touch(capability *cap)
{
	return std_simple(cap, STD_TOUCH, 0, NULL);
}

errstat
std_age(capability *cap)
{
	return std_simple(cap, STD_AGE, 0, NULL);
}

errstat
std_restrict(capability *cap, rights_bits mask, capability *out)
{
	header h;
	errstat e;

	if (prv_restrict(&cap->cap_priv, mask, &out->cap_priv) == STD_OK) {
		out->cap_port = cap->cap_port;
		return STD_OK;
	}
	e = std_simple(cap, STD_RESTRICT, mask, &h);
	if (e == STD_OK) {
		out->cap_port = cap->cap_port;
		out->cap_priv = h.h_priv;
	}
	return e;
}

errstat
std_copy(capability *server, capability *orig, capability *newcap)
{
	char buf[CAPSIZE], *end;
	header h;
	int32_t r;

	if (server == NULL || orig == NULL || newcap == NULL)
		return STD_ARGBAD;
	end = buf_put_cap(buf, buf + sizeof(buf), orig);
	if (end == NULL)
		return STD_ARGBAD;
	hdr_init(&h, server, STD_COPY);
	h.h_size = (bufsize)(end - buf);
	r = rpc_trans(&h, buf, (f_size_t)(end - buf), &h, NULL, 0);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	newcap->cap_port = h.h_port;
	newcap->cap_priv = h.h_priv;
	return STD_OK;
}
