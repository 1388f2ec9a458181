/*
 * bullet.c - client stubs of the Bullet file server (spec 6.2): b_create,
 * b_read, b_size, b_modify, b_insert, b_delete, b_sync, b_fsck,
 * b_disk_compact.
 *
 * Transfers larger than BS_REQBUFSZ go in several transactions: a create
 * continues with BS_MODIFY at the growing offset, an insert with
 * BS_INSERT further on; only the last one carries the caller's commit
 * flags.  The first transaction on a committed file returns a new
 * uncommitted file, so each next one uses the capability of the reply.
 * A failed read transaction is tried once more.  Portable: trans() is
 * the system call in user programs and the kernel's own in kernel code.
 */
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/prv.h>
#include <module/rpc.h>
#include <module/stdcmd.h>
#include <server/bullet/bullet.h>

/* One transaction; the server's status, or the RPC error. */
static errstat
bs_trans(header *h, char *req, int32 reqlen, char *rep, int32 replen,
	 int32 *got)
{
	int32 r = rpc_trans(h, req, reqlen, h, rep, replen);

	if (r < 0)
		return r;
	if (got)
		*got = r;
	return ERR_STATUS(h->h_status) ? ERR_CONVERT(h->h_status) : STD_OK;
}

static void
bs_header(header *h, const capability *cap, command cmd)
{
	memset(h, 0, sizeof(*h));
	h->h_port = cap->cap_port;
	h->h_priv = cap->cap_priv;
	h->h_command = cmd;
}

/* The capability in a reply header (new or unchanged file). */
static void
bs_reply_cap(const header *h, capability *cap)
{
	cap->cap_port = h->h_port;
	cap->cap_priv = h->h_priv;
}

/*
 * Send buf[0..size) starting with command first at offset, continuing
 * with command next; commit flags with the last piece.  The first
 * transaction is sent even when size is 0 (a create of an empty file, a
 * commit-only modify).  On failure after the first piece made a new file,
 * that file is destroyed (it was only half made).
 */
static errstat
bs_send(const capability *cap, command first, command next, b_fsize offset,
	char *buf, b_fsize size, int commit, capability *newfile)
{
	capability made;
	header h;
	errstat err;
	int pieces = 0;

	bs_header(&h, cap, first);
	do {
		int32 n = size > BS_REQBUFSZ ? BS_REQBUFSZ : (int32)size;

		h.h_offset = (int32)offset;
		h.h_size = (bufsize)n;
		h.h_extra = (uint16)(size > BS_REQBUFSZ ? 0 : commit);
		err = bs_trans(&h, buf, n, NULL, 0, NULL);
		if (err != STD_OK) {
			if (pieces > 0 && prv_number(&made.cap_priv) !=
					      prv_number(&cap->cap_priv))
				std_destroy(&made);
			return err;
		}
		bs_reply_cap(&h, &made);
		pieces++;
		buf += n;
		offset += n;
		size -= n;
		h.h_command = next;
	} while (size > 0);
	*newfile = made;
	return STD_OK;
}

errstat
b_create(capability *server, char *buf, b_fsize size, int commit,
	 capability *newfile)
{
	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	return bs_send(server, BS_CREATE, BS_MODIFY, 0, buf, size, commit,
		       newfile);
}

errstat
b_modify(capability *file, b_fsize offset, char *buf, b_fsize size,
	 int commit, capability *newfile)
{
	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	return bs_send(file, BS_MODIFY, BS_MODIFY, offset, buf, size, commit,
		       newfile);
}

errstat
b_insert(capability *file, b_fsize offset, char *buf, b_fsize size,
	 int commit, capability *newfile)
{
	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	return bs_send(file, BS_INSERT, BS_INSERT, offset, buf, size, commit,
		       newfile);
}

errstat
b_delete(capability *file, b_fsize offset, b_fsize size, int commit,
	 capability *newfile)
{
	char body[4], *p;
	header h;
	errstat err;

	if (size < 0)
		return STD_ARGBAD;
	p = buf_put_bfsize(body, body + sizeof(body), (int32)size);
	if (p == NULL)
		return STD_ARGBAD;
	bs_header(&h, file, BS_DELETE);
	h.h_offset = (int32)offset;
	h.h_size = (bufsize)(p - body);
	h.h_extra = (uint16)commit;
	err = bs_trans(&h, body, (int32)(p - body), NULL, 0, NULL);
	if (err == STD_OK)
		bs_reply_cap(&h, newfile);
	return err;
}

/* One BS_READ transaction, tried a second time if the RPC fails. */
static errstat
bs_read_once(const capability *file, b_fsize offset, char *buf, int32 n,
	     int32 *got)
{
	errstat err = STD_OK;
	int32 r = 0;
	header h;

	for (int tries = 0; tries < 2; tries++) {
		bs_header(&h, file, BS_READ);
		h.h_offset = (int32)offset;
		h.h_size = (bufsize)n;
		err = bs_trans(&h, NULL, 0, buf, n, &r);
		if (err != RPC_FAILURE && err != RPC_NOTFOUND)
			break;
	}
	if (err == STD_OK)
		*got = h.h_size < r ? h.h_size : r;
	return err;
}

errstat
b_read(capability *file, b_fsize offset, char *buf, b_fsize size,
       b_fsize *nread)
{
	b_fsize total = 0;
	int32 n, got;
	errstat err;

	if (size < 0 || (size > 0 && buf == NULL))
		return STD_ARGBAD;
	do {
		n = size > BS_REQBUFSZ ? BS_REQBUFSZ : (int32)size;
		err = bs_read_once(file, offset, buf, n, &got);
		if (err != STD_OK)
			return err;
		total += got;
		buf += got;
		offset += got;
		size -= got;
	} while (size > 0 && got == n);
	if (nread)
		*nread = total;
	return STD_OK;
}

errstat
b_size(capability *file, b_fsize *size)
{
	header h;
	errstat err;

	bs_header(&h, file, BS_SIZE);
	err = bs_trans(&h, NULL, 0, NULL, 0, NULL);
	if (err == STD_OK && size)
		*size = h.h_offset;
	return err;
}

static errstat
bs_simple(capability *cap, command cmd)
{
	header h;

	bs_header(&h, cap, cmd);
	return bs_trans(&h, NULL, 0, NULL, 0, NULL);
}

errstat
b_sync(capability *server)
{
	return bs_simple(server, BS_SYNC);
}

errstat
b_fsck(capability *server)
{
	return bs_simple(server, BS_FSCK);
}

errstat
b_disk_compact(capability *server)
{
	return bs_simple(server, BS_DISK_COMPACT);
}
