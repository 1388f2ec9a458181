/*
 * uprog.c - build and start tiny user programs for in-kernel tests (see
 * uprog.h).  The image is a marshalled PD (text, data, stack) followed by
 * the code, exactly what the process server gets from a real program.
 */
#include <string.h>

#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/proc.h"
#include "kernel/seg.h"
#include "kernel/thread.h"
#include "uprog.h"
#include <amoeba/pd.h>

struct proc *
uprog_spawn(const char *name, const uint8_t *code, size_t n, int prio)
{
	struct pd_info pd;
	uint8_t *img;
	struct proc *p;
	errstat err;
	int hdr;

	memset(&pd, 0, sizeof(pd));
	memcpy(pd.magic, PD_ARCH, sizeof(PD_ARCH));
	pd.nseg = 3;
	pd.nthread = 1;
	pd.seg[0].sd_addr = UPROG_TEXT;
	pd.seg[0].sd_len = (uint32_t)n;
	pd.seg[0].sd_type = MAP_GROWNOT | MAP_TYPETEXT | MAP_READONLY;
	pd.seg[1].sd_addr = UPROG_DATA;
	pd.seg[1].sd_len = 4096;
	pd.seg[1].sd_type = MAP_GROWUP | MAP_TYPEDATA | MAP_READWRITE;
	pd.seg[2].sd_len = 16384;
	pd.seg[2].sd_type = MAP_GROWDOWN | MAP_TYPEDATA | MAP_READWRITE |
			    MAP_SYSTEM;
	pd.thread[0].td_extra = TDX_IDLE;
	pd.thread[0].pc = UPROG_TEXT;
	hdr = (int)pd_size(&pd);
	pd.seg[0].sd_offset = hdr;
	img = kmalloc((size_t)hdr + n);
	if (img == NULL || pd_put(&pd, img, (size_t)hdr) != hdr)
		return NULL;
	memcpy(img + hdr, code, n);
	p = proc_exec(img, (size_t)hdr + n, name, NULL, NULL, NULL, 0, prio,
		      &err);
	kfree(img);
	return p;
}

volatile uint32_t *
uprog_data(struct proc *p)
{
	for (int i = 0; i < PROC_MAXMAP; i++)
		if (p->map[i].seg && p->map[i].va == UPROG_DATA)
			return (volatile uint32_t *)p->map[i].seg->pa;
	return NULL;
}

int
uprog_run(const char *name, const uint8_t *code, size_t n)
{
	struct proc *p = uprog_spawn(name, code, n, PRIO_NORM);
	struct proc_exit ex;

	if (p == NULL)
		return -9999;
	proc_wait(p, &ex);
	return ex.how == PROC_FAULTED ? -1000 - ex.trapno : ex.status;
}
