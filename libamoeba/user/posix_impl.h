/*
 * posix_impl.h - private to the POSIX file layer (posix_file.c,
 * posix_dir.c) and the console glue (libc_glue.c): descriptors 0-2 are
 * the terminals, PX_FIRSTFD.. are files over Bullet and SOAP.
 */
#ifndef LIBAMOEBA_USER_POSIX_IMPL_H
#define LIBAMOEBA_USER_POSIX_IMPL_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <amoeba.h>
#include <capset.h>

#define PX_FIRSTFD	3		/* the first file descriptor */
#define PX_NFILES	32		/* open files a process may have */
#define PX_PATHMAX	1024		/* longest path (with its NUL) */

/* errno for a failed Bullet, SOAP or RPC call. */
int px_errno(errstat err);
/* Set errno to e; returns -1. */
int px_fail(int e);
/* Set errno from err; returns -1. */
int px_failerr(errstat err);

/* The file calls behind read/write/close/fstat/lseek for fd >= 3. */
int px_read(int fd, void *buf, size_t len);
int px_write(int fd, const void *buf, size_t len);
int px_close(int fd);
int px_fstat(int fd, struct stat *st);
off_t px_lseek(int fd, off_t off, int whence);

/*
 * What a path names: its capset (cs_free it), whether it is a
 * directory, and its size for a Bullet file.  The path is normalised
 * first ("." and "..", repeated and trailing slashes).
 */
struct px_obj {
	capset cs;			/* the entry's capset */
	capability cap;			/* its first current member */
	int isdir;			/* a SOAP or kernel directory */
	int isfile;			/* a Bullet file */
	long size;			/* a Bullet file's size */
};
errstat px_norm(const char *path, char *out);
errstat px_lookup(const char *path, struct px_obj *o);
void px_objfree(struct px_obj *o);
/* Fill o's isdir/isfile/size from the object's server (std_info). */
errstat px_classify(struct px_obj *o);
/* The Bullet server new files go to: $BULLET, DEF_BULLETSVR, or the
 * server answering the default Bullet port. */
errstat px_bullet(capability *svr);

#endif /* LIBAMOEBA_USER_POSIX_IMPL_H */
