/*
 * fs_start.h - start the Bullet and SOAP servers for a user test, on
 * the disk of the node it runs on (a boot/mkfsimg.sh disk: partition 1
 * Bullet, partition 2 SOAP), from copies of build/user/bullet and
 * build/user/soap linked into the test (.incbin), with PS_EXEC.  The
 * servers are detached: they keep running when the test exits.
 *
 *   fs_start(procs)  start both, wait (bounded, FS_WAIT_MS each) until
 *                    the Bullet server answers and the SOAP server's
 *                    public root resolves; 1 when both are up.  When
 *                    both already serve the disk, nothing is started
 *                    (procs stay zero)
 *
 * Included by exactly one .c file per program (static functions); the
 * program's rule must depend on build/user/bullet and build/user/soap.
 */
#ifndef TESTS_USER_FS_START_H
#define TESTS_USER_FS_START_H

#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <amoeba/pd.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <module/syscall.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/process/proc.h>
#include <server/soap/soapsvr.h>

__asm__(".section .rodata\n.balign 16\n"
	".globl fs_bullet\nfs_bullet:\n.incbin \"build/user/bullet\"\n"
	".globl fs_bullet_end\nfs_bullet_end:\n.balign 16\n"
	".globl fs_soap\nfs_soap:\n.incbin \"build/user/soap\"\n"
	".globl fs_soap_end\nfs_soap_end:\n.previous\n");
extern const uint8_t fs_bullet[], fs_bullet_end[], fs_soap[], fs_soap_end[];

#define FS_IMG_VA	0x68000000u	/* where the image copy is made */
#define FS_WAIT_MS	60000

/* Point the PD's file-backed segments of img at seg; marshal it. */
static int
fs_pd(const uint8_t *img, uint32_t len, capability *seg, uint8_t *pdbuf)
{
	struct pd_info pd;
	int i;

	if (pd_get(img, len, &pd) < 0)
		return -1;
	for (i = 0; i < pd.nseg; i++)
		if (NULLPORT(&pd.seg[i].sd_cap.cap_port) &&
		    pd.seg[i].sd_offset != 0)
			pd.seg[i].sd_cap = *seg;
	return pd_put(&pd, pdbuf, PSVR_BUFSZ);
}

/* Run the executable img[0..len) as a new process (PS_EXEC). */
static errstat
fs_exec(const uint8_t *img, uint32_t len, capability *proc)
{
	static uint8_t pdbuf[PSVR_BUFSZ];
	capability seg, ps;
	header h;
	errstat err;
	long id;
	int n;
	int32 r;

	if ((err = kdir_lookup(NULL, PROCESS_SVR_NAME, &ps)) != STD_OK)
		return err;
	if ((id = seg_map(NULL, FS_IMG_VA, len, VX_MAP_NEW | VX_MAP_RW)) < 0)
		return (errstat)id;
	memcpy((void *)FS_IMG_VA, img, len);
	if ((err = seg_unmap(id, &seg)) != STD_OK)
		return err;
	n = fs_pd(img, len, &seg, pdbuf);
	memset(&h, 0, sizeof(h));
	h.h_port = ps.cap_port;
	h.h_priv = ps.cap_priv;
	h.h_command = PS_EXEC;
	h.h_size = (bufsize)n;
	r = n < 0 ? STD_OVERFLOW : rpc_trans(&h, (bufptr)pdbuf, n, &h, NULL, 0);
	std_destroy(&seg);
	if (r < 0)
		return r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	proc->cap_port = h.h_port;
	proc->cap_priv = h.h_priv;
	return STD_OK;
}

static int
fs_alive(capability *proc)
{
	char info[80];

	return std_info(proc, info, sizeof(info), NULL) == STD_OK;
}

/* Wait until the Bullet server on this node's disk answers. */
static int
fs_wait_bullet(capability *proc)
{
	unsigned long t0 = sys_milli();
	capability super;
	b_fsize size;

	if (bullet_local_supercap(NULL, &super) != STD_OK)
		return 0;
	while (sys_milli() - t0 < FS_WAIT_MS) {
		if (b_size(&super, &size) == STD_COMBAD)
			return 1;
		if (!fs_alive(proc))
			return 0;
		sys_sleep(20);
	}
	return 0;
}

/* Wait until the SOAP server's public root resolves. */
static int
fs_wait_soap(capability *proc)
{
	unsigned long t0 = sys_milli();
	capset cs;

	while (sys_milli() - t0 < FS_WAIT_MS) {
		if (sp_publiccap(NULL, &cs) == STD_OK) {
			cs_free(&cs);
			return 1;
		}
		if (!fs_alive(proc))
			return 0;
		sys_sleep(20);
	}
	return 0;
}

/* Are both servers already serving this node's disk (started at boot,
 * or by an earlier run)?  Then starting them again would put a second
 * Bullet server on the same disk. */
static int
fs_running(void)
{
	capability super;
	b_fsize size;
	capset cs;

	if (bullet_local_supercap(NULL, &super) != STD_OK ||
	    b_size(&super, &size) != STD_COMBAD ||
	    sp_publiccap(NULL, &cs) != STD_OK)
		return 0;
	cs_free(&cs);
	return 1;
}

static int
fs_start(capability procs[2])
{
	memset(procs, 0, 2 * sizeof(capability));
	if (fs_running())
		return 1;
	if (fs_exec(fs_bullet, (uint32_t)(fs_bullet_end - fs_bullet),
		    &procs[0]) != STD_OK || !fs_wait_bullet(&procs[0]))
		return 0;
	return fs_exec(fs_soap, (uint32_t)(fs_soap_end - fs_soap),
		       &procs[1]) == STD_OK && fs_wait_soap(&procs[1]);
}

#endif /* TESTS_USER_FS_START_H */
