/*
 * posix_file.c - POSIX files over Bullet and SOAP: open, read, write,
 * lseek, close and fstat for descriptors PX_FIRSTFD.. (libc_glue.c
 * keeps 0-2, the terminals, and passes the others here).
 *
 * Whole-file semantics, as Amoeba's: open() reads the committed Bullet
 * file a path names into memory (unless O_TRUNC empties it), read and
 * write work on that copy, and close() of a descriptor that was written
 * (or created) stores the copy as a new committed Bullet file
 * (BS_COMMIT | BS_SAFETY) and publishes it under the name in one
 * directory operation: sp_replace for an existing name, sp_append for a
 * new one.  A reader therefore sees the old or the new contents, never
 * a mix, and a reader that opened the old file keeps its copy.  The
 * replaced Bullet file is then destroyed (files written through this
 * layer have one name).  Paths: absolute from ROOT, relative from WORK.
 *
 * Concurrency: the descriptor table's slots are taken and given back
 * under px_lock; one descriptor must be used by one thread at a time
 * (stdio's own locks do that for FILEs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <module/mutex.h>
#include <module/prv.h>
#include <module/stdcmd.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>
#include <server/soap/soapsvr.h>
#include "posix_impl.h"

struct px_file {
	int used;			/* slot taken */
	int flags;			/* open flags (O_ACCMODE, O_APPEND, O_EXCL) */
	int isnew;			/* the name did not exist at open */
	int dirty;			/* written since open */
	capset dir;			/* writers: the directory of the name */
	char name[SP_NAMEMAX + 1];	/* writers: the name in it */
	capability old;			/* the file at open (if !isnew) */
	char *buf;			/* the contents */
	size_t len;			/* bytes in buf */
	size_t room;			/* bytes allocated */
	off_t pos;			/* the file offset */
};

static struct px_file px_files[PX_NFILES];	/* slot i is fd i + 3 */
static mutex px_lock;				/* guards used */

int
px_errno(errstat err)
{
	switch (err) {
	case STD_NOTFOUND:	return ENOENT;
	case STD_EXISTS:	return EEXIST;
	case STD_DENIED:	return EACCES;
	case SP_NOTEMPTY:	return ENOTEMPTY;
	case STD_NOSPACE:	return ENOSPC;
	case STD_NOMEM:		return ENOMEM;
	case STD_ARGBAD:	return EINVAL;
	case STD_COMBAD:	return ENOTDIR;	/* a path through a non-directory */
	case STD_OVERFLOW:	return ENAMETOOLONG;
	default:		return EIO;
	}
}

int
px_fail(int e)
{
	errno = e;
	return -1;
}

int
px_failerr(errstat err)
{
	return px_fail(px_errno(err));
}

/* The open file behind fd, or NULL (errno EBADF). */
static struct px_file *
px_get(int fd)
{
	if (fd < PX_FIRSTFD || fd >= PX_FIRSTFD + PX_NFILES ||
	    !px_files[fd - PX_FIRSTFD].used) {
		errno = EBADF;
		return NULL;
	}
	return &px_files[fd - PX_FIRSTFD];
}

/* Take a free slot; its fd, or -1 (EMFILE). */
static int
px_alloc(void)
{
	int i;

	mu_lock(&px_lock);
	for (i = 0; i < PX_NFILES && px_files[i].used; i++)
		;
	if (i < PX_NFILES) {
		memset(&px_files[i], 0, sizeof(px_files[i]));
		px_files[i].used = 1;
	}
	mu_unlock(&px_lock);
	return i < PX_NFILES ? i + PX_FIRSTFD : px_fail(EMFILE);
}

static void
px_release(struct px_file *f)
{
	free(f->buf);
	cs_free(&f->dir);
	mu_lock(&px_lock);
	memset(f, 0, sizeof(*f));
	mu_unlock(&px_lock);
}

/* Make room for n bytes in f->buf. */
static int
px_room(struct px_file *f, size_t n)
{
	size_t room = f->room ? f->room : 4096;
	char *b;

	if (n <= f->room)
		return 0;
	while (room < n)
		room *= 2;
	if ((b = realloc(f->buf, room)) == NULL)
		return px_fail(ENOMEM);
	f->buf = b;
	f->room = room;
	return 0;
}

/* Read the whole committed file o names into f. */
static errstat
px_load(struct px_file *f, struct px_obj *o)
{
	b_fsize got = 0;
	errstat err;

	if (o->size < 0)
		return STD_SYSERR;
	if (px_room(f, (size_t)o->size + 1) < 0)
		return STD_NOMEM;
	err = b_read(&o->cap, 0, f->buf, (b_fsize)o->size, &got);
	if (err == STD_OK)
		f->len = (size_t)got;
	return err;
}

/* Writers: the directory and name a path's last component is in. */
static errstat
px_where(struct px_file *f, const char *norm)
{
	const char *name = norm;
	errstat err;
	capability d;

	if ((err = sp_traverse(SP_DEFAULT, &name, &f->dir)) != STD_OK)
		return err;
	if (strlen(name) > SP_NAMEMAX)
		return STD_OVERFLOW;		/* ENAMETOOLONG */
	if (name[0] == 0)
		return STD_ARGBAD;
	strcpy(f->name, name);
	if (cs_to_cap(&f->dir, &d) == STD_OK &&
	    !(d.cap_priv.prv_rights & SP_MODRGT))
		return STD_DENIED;
	return STD_OK;
}

/* The open() work after the slot is taken; an errno or 0. */
static int
px_open_file(struct px_file *f, const char *norm, int flags)
{
	int wr = (flags & O_ACCMODE) != O_RDONLY;
	struct px_obj o;
	errstat err;

	err = px_lookup(norm, &o);
	if (err == STD_NOTFOUND && (flags & O_CREAT)) {
		f->isnew = 1;
		err = px_where(f, norm);
		return err == STD_OK ? 0 : px_errno(err);
	}
	if (err != STD_OK)
		return px_errno(err);
	if ((flags & O_CREAT) && (flags & O_EXCL))
		err = STD_EXISTS;
	else if (o.isdir)
		err = STD_SYSERR;
	else if (!o.isfile)
		err = STD_DENIED;
	else if (wr)
		err = px_where(f, norm);
	if (err == STD_OK && !(wr && (flags & O_TRUNC)))
		err = px_load(f, &o);
	f->old = o.cap;
	f->dirty = wr && (flags & O_TRUNC);
	px_objfree(&o);
	if (err == STD_SYSERR)
		return o.isdir ? EISDIR : EIO;
	return err == STD_OK ? 0 : px_errno(err);
}

int
open(const char *path, int flags, ...)
{
	char norm[PX_PATHMAX];
	errstat err;
	int fd, e;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return px_fail(EINVAL);
	if ((err = px_norm(path, norm)) != STD_OK)
		return px_failerr(err);
	if ((fd = px_alloc()) < 0)
		return -1;
	px_files[fd - PX_FIRSTFD].flags = flags;
	e = px_open_file(&px_files[fd - PX_FIRSTFD], norm, flags);
	if (e != 0) {
		px_release(&px_files[fd - PX_FIRSTFD]);
		return px_fail(e);
	}
	return fd;
}

int
px_read(int fd, void *buf, size_t len)
{
	struct px_file *f = px_get(fd);
	size_t n;

	if (f == NULL)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return px_fail(EBADF);
	if ((size_t)f->pos >= f->len)
		return 0;
	n = f->len - (size_t)f->pos;
	if (n > len)
		n = len;
	memcpy(buf, f->buf + f->pos, n);
	f->pos += (off_t)n;
	return (int)n;
}

int
px_write(int fd, const void *buf, size_t len)
{
	struct px_file *f = px_get(fd);
	size_t end;

	if (f == NULL)
		return -1;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return px_fail(EBADF);
	if (f->flags & O_APPEND)
		f->pos = (off_t)f->len;
	end = (size_t)f->pos + len;
	if (end < len || end > 0x7FFFFFFF)
		return px_fail(EFBIG);
	if (px_room(f, end) < 0)
		return -1;
	if ((size_t)f->pos > f->len)	/* a hole after a seek: zeros */
		memset(f->buf + f->len, 0, (size_t)f->pos - f->len);
	memcpy(f->buf + f->pos, buf, len);
	f->pos = (off_t)end;
	if (end > f->len)
		f->len = end;
	f->dirty = 1;
	return (int)len;
}

off_t
px_lseek(int fd, off_t off, int whence)
{
	struct px_file *f = px_get(fd);
	off_t base;

	if (f == NULL)
		return -1;
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = f->pos;
	else if (whence == SEEK_END)
		base = (off_t)f->len;
	else
		return px_fail(EINVAL);
	if (base + off < 0 || base + off > 0x7FFFFFFF)
		return px_fail(EINVAL);
	f->pos = base + off;
	return f->pos;
}

int
px_fstat(int fd, struct stat *st)
{
	struct px_file *f = px_get(fd);

	if (f == NULL)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0644;
	st->st_nlink = 1;
	st->st_size = (off_t)f->len;
	st->st_blksize = 4096;
	st->st_ino = (ino_t)prv_number(&f->old.cap_priv);
	return 0;
}

/* Enter cs under f's name: a new row, or a replaced one. */
static errstat
px_enter(struct px_file *f, capset *cs)
{
	long m[SP_MAXCOLUMNS];
	rights_bits masks[SP_MAXCOLUMNS];
	errstat err;
	int n, i;

	if (!f->isnew)
		return sp_replace(&f->dir, f->name, cs);
	n = sp_mask(SP_MAXCOLUMNS, m);
	for (i = 0; i < n; i++)
		masks[i] = (rights_bits)m[i];
	err = sp_append(&f->dir, f->name, cs, n, masks);
	if (err == STD_EXISTS && !(f->flags & O_EXCL))
		err = sp_replace(&f->dir, f->name, cs);
	return err;
}

/* Store f's contents as a committed file and publish it by name. */
static errstat
px_publish(struct px_file *f)
{
	capability svr, file;
	capset cs;
	errstat err;

	if ((err = px_bullet(&svr)) != STD_OK)
		return err;
	err = b_create(&svr, f->buf, (b_fsize)f->len, BS_COMMIT | BS_SAFETY,
		       &file);
	if (err != STD_OK)
		return err;
	if (!cs_singleton(&cs, &file)) {
		std_destroy(&file);
		return STD_NOMEM;
	}
	err = px_enter(f, &cs);
	cs_free(&cs);
	if (err != STD_OK)
		std_destroy(&file);
	else if (!f->isnew && memcmp(&f->old, &file, CAPSIZE) != 0)
		std_destroy(&f->old);
	return err;
}

int
px_close(int fd)
{
	struct px_file *f = px_get(fd);
	errstat err = STD_OK;

	if (f == NULL)
		return -1;
	if ((f->flags & O_ACCMODE) != O_RDONLY && (f->dirty || f->isnew))
		err = px_publish(f);
	px_release(f);
	return err == STD_OK ? 0 : px_failerr(err);
}
