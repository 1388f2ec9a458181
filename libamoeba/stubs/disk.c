/*
 * disk.c - client stubs of the virtual disk server (module/disk.h).
 * Portable: kernel code and user programs.
 *
 * Entry points: disk_read, disk_write, disk_size, disk_info,
 * disk_control.
 */
#include <stddef.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/disk.h>
#include <module/header.h>

#define L2_MIN	D_PHYS_SHIFT
#define L2_MAX	14

static int
l2_ok(int l2vblksz)
{
	return l2vblksz >= L2_MIN && l2vblksz <= L2_MAX &&
	       (1 << l2vblksz) <= D_REQBUFSZ;
}

/* One DS_READ or DS_WRITE loop over D_REQBUFSZ pieces. */
static errstat
disk_rw(capability *cap, command cmd, int l2vblksz, disk_addr start,
	disk_addr numblocks, bufptr buf)
{
	disk_addr maxblocks = D_REQBUFSZ >> l2vblksz;
	header h;
	bufsize n;

	if (!l2_ok(l2vblksz) || numblocks <= 0 || start < 0 || buf == NILBUF)
		return STD_ARGBAD;
	while (numblocks > 0) {
		disk_addr k = numblocks < maxblocks ? numblocks : maxblocks;
		int bytes = (int)(k << l2vblksz);

		hdr_init(&h, cap, cmd);
		h.h_offset = start;
		h.h_size = (bufsize)l2vblksz;
		h.h_extra = (uint16)k;
		n = cmd == DS_READ ? trans(&h, NILBUF, 0, &h, buf, bytes)
				   : trans(&h, buf, bytes, &h, NILBUF, 0);
		if (ERR_STATUS(n))
			return ERR_CONVERT(n);
		if (ERR_STATUS(h.h_status))
			return ERR_CONVERT(h.h_status);
		start += k;
		numblocks -= k;
		buf += bytes;
	}
	return STD_OK;
}

errstat
disk_read(capability *cap, int l2vblksz, disk_addr start,
	  disk_addr numblocks, bufptr buf)
{
	return disk_rw(cap, DS_READ, l2vblksz, start, numblocks, buf);
}

errstat
disk_write(capability *cap, int l2vblksz, disk_addr start,
	   disk_addr numblocks, bufptr buf)
{
	return disk_rw(cap, DS_WRITE, l2vblksz, start, numblocks, buf);
}

errstat
disk_size(capability *cap, int l2vblksz, disk_addr *size)
{
	header h;
	bufsize n;

	if (!l2_ok(l2vblksz) || size == NULL)
		return STD_ARGBAD;
	hdr_init(&h, cap, DS_SIZE);
	h.h_size = (bufsize)l2vblksz;
	n = trans(&h, NILBUF, 0, &h, NILBUF, 0);
	if (ERR_STATUS(n))
		return ERR_CONVERT(n);
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	*size = (disk_addr)h.h_offset;
	return STD_OK;
}

errstat
disk_info(capability *cap, dk_info_data *buf, int size, int *cnt)
{
	char raw[64 * DISKINFOSZ];
	char *p = raw, *end;
	header h;
	bufsize n;
	int i;

	if (buf == NULL || cnt == NULL || size <= 0)
		return STD_ARGBAD;
	hdr_init(&h, cap, DS_INFO);
	n = trans(&h, NILBUF, 0, &h, raw, sizeof(raw));
	if (ERR_STATUS(n))
		return ERR_CONVERT(n);
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	end = raw + n;
	for (i = 0; i < size && end - p >= (int)DISKINFOSZ; i++) {
		p = buf_get_int32(p, end, &buf[i].d_unit);
		p = buf_get_int32(p, end, &buf[i].d_firstblk);
		p = buf_get_int32(p, end, &buf[i].d_numblks);
		if (p == NULL)
			return STD_SYSERR;
	}
	*cnt = i;
	return STD_OK;
}

errstat
disk_control(capability *cap, int cmd, bufptr buf, bufsize size)
{
	header h;
	bufsize n;

	hdr_init(&h, cap, DS_CONTROL);
	h.h_extra = (uint16)cmd;
	n = trans(&h, buf, size, &h, buf, size);
	if (ERR_STATUS(n))
		return ERR_CONVERT(n);
	return ERR_CONVERT(h.h_status);
}
