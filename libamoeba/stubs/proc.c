/*
 * proc.c - client stubs of the process server (module/proc.h).
 * Portable: kernel code and user programs.
 *
 * Entry points: pro_getdef, pro_getload, pro_getowner, pro_setowner,
 * pro_stun, pro_signal, pro_swapproc, pro_exec, pro_list, pro_serves.
 */
#include <stddef.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/header.h>
#include <module/proc.h>
#include <amoeba/pd.h>

/* A transaction whose reply is all in the header; its status. */
static errstat
pro_call(capability *cap, command cmd, header *h, bufptr buf, int n)
{
	bufsize r;

	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
	r = trans(h, buf, n, h, NILBUF, 0);
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	return ERR_CONVERT(h->h_status);
}

errstat
pro_getdef(capability *host, int *log2pagesize, int *first, int *last)
{
	header h = { 0 };
	errstat err = pro_call(host, PS_GETDEF, &h, NILBUF, 0);

	if (err == STD_OK) {
		*log2pagesize = h.h_size;
		*first = h.h_extra;
		*last = h.h_offset;
	}
	return err;
}

errstat
pro_getload(capability *host, long *ips, long *loadav, long *mfree)
{
	header h = { 0 };
	errstat err = pro_call(host, PS_GETLOAD, &h, NILBUF, 0);

	if (err == STD_OK) {
		*ips = (long)h.h_extra * 1024;
		*loadav = (long)h.h_size;
		*mfree = h.h_offset;
	}
	return err;
}

errstat
pro_getowner(capability *proc, capability *owner)
{
	header h = { 0 };
	errstat err = pro_call(proc, PS_GETOWNER, &h, NILBUF, 0);

	if (err == STD_OK) {
		owner->cap_port = h.h_port;
		owner->cap_priv = h.h_priv;
	}
	return err;
}

errstat
pro_setowner(capability *proc, capability *owner)
{
	header h = { 0 };

	return pro_call(proc, PS_SETOWNER, &h, (bufptr)owner,
			(int)sizeof(*owner));
}

errstat
pro_stun(capability *proc, long detail)
{
	header h = { 0 };

	h.h_offset = (int32)detail;
	return pro_call(proc, PS_STUN, &h, NILBUF, 0);
}

errstat
pro_signal(capability *proc, long sig)
{
	header h = { 0 };

	if (proc == NULL)
		return STD_ARGBAD;
	h.h_offset = (int32)sig;
	return pro_call(proc, PS_SIGNAL, &h, NILBUF, 0);
}

errstat
pro_swapproc(capability *host, capability *oldproc, capability *newproc)
{
	capability pair[2];
	header h = { 0 };

	pair[0] = *oldproc;
	pair[1] = *newproc;
	return pro_call(host, PS_SWAPPROC, &h, (bufptr)pair,
			(int)sizeof(pair));
}

errstat
pro_exec(capability *host, process_d *pd, capability *retcap)
{
	uint8_t buf[PD_HDRSIZE + PD_MAXSEG * PD_SEGSIZE +
		    PD_MAXTHREAD * (PD_THREADSIZE + PD_KSTATESIZE +
				    PD_USTATESIZE + PD_FPUSIZE + PD_NAMESIZE)];
	header h = { 0 };
	errstat err;
	int n;

	if (host == NULL || pd == NULL || retcap == NULL)
		return STD_ARGBAD;
	n = pd_put(pd, buf, sizeof(buf));
	if (n < 0)
		return STD_ARGBAD;
	h.h_size = (bufsize)n;
	err = pro_call(host, PS_EXEC, &h, (bufptr)buf, n);
	if (err == STD_OK) {
		retcap->cap_port = h.h_port;
		retcap->cap_priv = h.h_priv;
	}
	return err;
}

static int32
get32(const uint8_t *p)
{
	return (int32)((uint32)p[0] | (uint32)p[1] << 8 |
		       (uint32)p[2] << 16 | (uint32)p[3] << 24);
}

int
pro_list(capability *host, struct ps_info *out, int max)
{
	static uint8_t buf[PSVR_LISTMAX];
	header h = { 0 };
	bufsize r;
	int n = 0;

	if (host == NULL || out == NULL || max < 0)
		return STD_ARGBAD;
	h.h_port = host->cap_port;
	h.h_priv = host->cap_priv;
	h.h_command = PS_LIST;
	r = trans(&h, NILBUF, 0, &h, (bufptr)buf, sizeof(buf));
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	for (const uint8_t *p = buf; p + PS_ENTRYSIZE <= buf + r && n < max;
	     p += PS_ENTRYSIZE, n++) {
		struct ps_info *e = &out[n];

		e->pi_pid = get32(p);
		e->pi_state = get32(p + 4);
		e->pi_kib = get32(p + 8);
		e->pi_threads = get32(p + 12);
		e->pi_flags = get32(p + 16);
		memcpy(e->pi_name, p + 20, PS_NAMELEN);
		e->pi_name[PS_NAMELEN - 1] = 0;
		memcpy(&e->pi_cap, p + 20 + PS_NAMELEN, sizeof(capability));
	}
	return n;
}

errstat
pro_serves(capability *host, const port *pub)
{
	header h = { 0 };
	bufsize r;

	if (host == NULL || pub == NULL)
		return STD_ARGBAD;
	h.h_port = host->cap_port;
	h.h_priv = host->cap_priv;
	h.h_command = PS_SERVES;
	r = trans(&h, (bufptr)pub, PORTSIZE, &h, NILBUF, 0);
	if (ERR_STATUS(r))
		return ERR_CONVERT(r);
	return ERR_CONVERT(h.h_status);
}
