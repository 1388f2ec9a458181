/*
 * lipc.c - the user side of the local IPC with shared segments
 * (module/lipc.h): one INT 57 system call per function; the kernel
 * checks every pointer and maps the buffers (kernel/lipc_syscall.c).
 */
#include <module/lipc.h>
#include <module/syscall.h>

int32_t
lipc_trans(header *req, const void *rbuf, uint32_t rn, header *rep,
	   void *pbuf, uint32_t pn)
{
	struct vx_lipc_trans a = {
		(uint32_t)req, (uint32_t)rbuf, rn, (uint32_t)rep,
		(uint32_t)pbuf, pn
	};

	return (int32_t)sys_newsys(SYS_LIPC_TRANS, (long)&a, 0, 0, 0);
}

int32_t
lipc_getreq(header *h, struct lipc_req *r)
{
	return (int32_t)sys_newsys(SYS_LIPC_GETREQ, (long)h, (long)r, 0, 0);
}

errstat
lipc_putrep(header *h, uint32_t n)
{
	return (errstat)sys_newsys(SYS_LIPC_PUTREP, (long)h, (long)n, 0, 0);
}

int32_t
lipc_replyget(header *rep, uint32_t n, header *h, struct lipc_req *r)
{
	return (int32_t)sys_newsys(SYS_LIPC_REPLYGET, (long)rep, (long)n,
				   (long)h, (long)r);
}

int32_t
lipc_keep(void)
{
	return (int32_t)sys_newsys(SYS_LIPC_KEEP, 0, 0, 0, 0);
}

errstat
lipc_kept(int32_t handle, struct lipc_req *r)
{
	return (errstat)sys_newsys(SYS_LIPC_KEPT, handle, (long)r, 0, 0);
}

errstat
lipc_release(int32_t handle)
{
	return (errstat)sys_newsys(SYS_LIPC_RELEASE, handle, 0, 0, 0);
}
