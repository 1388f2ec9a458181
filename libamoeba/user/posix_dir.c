/*
 * posix_dir.c - POSIX names over SOAP: stat, access, unlink, rename,
 * mkdir, rmdir, opendir/readdir/closedir (libamoeba/include/dirent.h),
 * getcwd and chdir, and the path helpers of posix_impl.h.
 *
 * A path is normalised first ("." and "..", repeated and trailing
 * slashes; ".." above WORK uses $PWD, as the SOAP stubs do), then looked
 * up from ROOT ("/...") or WORK.  What an entry is comes from its
 * server's std_info string: "/" or "%" a directory, "-" a Bullet file
 * with its size.  unlink and rename destroy a Bullet file whose only
 * name they remove or replace (files written through open/close have
 * one name); directories are discarded only when empty (rmdir).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <ampolicy.h>
#include <capset.h>
#include <stderr.h>
#include <sp_dir.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/stdcmd.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>
#include "libamoeba/stubs/soap_client.h"
#include "posix_impl.h"

errstat
px_norm(const char *path, char *out)
{
	errstat err;

	if (path == NULL)
		return STD_ARGBAD;
	if (path[0] == 0)
		return STD_NOTFOUND;
	if ((err = sp_path_norm(path, out, PX_PATHMAX)) != STD_OK)
		return strlen(path) >= PX_PATHMAX ? STD_OVERFLOW : err;
	if (out[0] == 0)
		strcpy(out, ".");
	return STD_OK;
}

errstat
px_classify(struct px_obj *o)
{
	char info[128];
	errstat err;
	int n = 0;

	o->isdir = o->isfile = 0;
	o->size = 0;
	err = std_info(&o->cap, info, sizeof(info) - 1, &n);
	if (err == STD_OVERFLOW)
		err = STD_OK;
	if (err != STD_OK)
		return err;
	info[n < (int)sizeof(info) ? (n < 0 ? 0 : n) : (int)sizeof(info) - 1]
		= 0;
	o->isdir = info[0] == '/' || info[0] == '%';
	o->isfile = info[0] == '-';
	if (o->isfile)
		o->size = strtol(info + 1, NULL, 10);
	return STD_OK;
}

errstat
px_lookup(const char *norm, struct px_obj *o)
{
	errstat err;

	memset(o, 0, sizeof(*o));
	if ((err = sp_lookup(SP_DEFAULT, norm, &o->cs)) != STD_OK)
		return err;
	if ((err = cs_to_cap(&o->cs, &o->cap)) == STD_OK)
		err = px_classify(o);
	if (err != STD_OK)
		cs_free(&o->cs);
	return err;
}

void
px_objfree(struct px_obj *o)
{
	cs_free(&o->cs);
}

errstat
px_bullet(capability *svr)
{
	static capability cached;
	static int have;
	const char *path = getenv("BULLET");
	errstat err;

	if (have) {
		*svr = cached;
		return STD_OK;
	}
	err = name_lookup((char *)(path ? path : DEF_BULLETSVR), &cached);
	if (err != STD_OK)
		err = bullet_default_cap(&cached);
	if (err == STD_OK) {
		have = 1;
		*svr = cached;
	}
	return err;
}

/* Normalise and look up path; an errno (0 when found). */
static int
px_find(const char *path, char *norm, struct px_obj *o)
{
	errstat err = px_norm(path, norm);

	if (err == STD_OK)
		err = px_lookup(norm, o);
	return err == STD_OK ? 0 : px_errno(err);
}

int
stat(const char *path, struct stat *st)
{
	char norm[PX_PATHMAX];
	struct px_obj o;
	rights_bits r;
	int e;

	if ((e = px_find(path, norm, &o)) != 0)
		return px_fail(e);
	r = o.cap.cap_priv.prv_rights;
	memset(st, 0, sizeof(*st));
	if (o.isdir)
		st->st_mode = S_IFDIR | ((r & SP_MODRGT) ? 0755 : 0555);
	else if (o.isfile)
		st->st_mode = S_IFREG | ((r & BS_RGT_READ) ? 0644 : 0200);
	else
		st->st_mode = S_IFCHR | 0666;
	st->st_nlink = o.isdir ? 2 : 1;
	st->st_size = o.isfile ? (off_t)o.size : 0;
	st->st_blksize = 4096;
	st->st_ino = (ino_t)prv_number(&o.cap.cap_priv);
	px_objfree(&o);
	return 0;
}

/* The directory holding norm's last component, and that name. */
static errstat
px_parent(const char *norm, capset *dir, const char **name)
{
	errstat err;

	*name = norm;
	if ((err = sp_traverse(SP_DEFAULT, name, dir)) != STD_OK)
		return err;
	if ((*name)[0] == 0 || strcmp(*name, ".") == 0) {
		cs_free(dir);
		return STD_ARGBAD;
	}
	return STD_OK;
}

/* Does the directory capset grant SP_MODRGT? */
static int
px_dir_writable(capset *dir)
{
	capability c;

	return cs_to_cap(dir, &c) == STD_OK &&
	       (c.cap_priv.prv_rights & SP_MODRGT);
}

int
access(const char *path, int mode)
{
	char norm[PX_PATHMAX];
	struct px_obj o;
	const char *name;
	capset dir;
	rights_bits r;
	int e, ok = 1;

	if ((e = px_find(path, norm, &o)) != 0)
		return px_fail(e);
	r = o.cap.cap_priv.prv_rights;
	if ((mode & R_OK) && o.isfile)
		ok = (r & BS_RGT_READ) != 0;
	if ((mode & R_OK) && o.isdir)
		ok = (r & SP_COLMASK) != 0;
	if ((mode & W_OK) && o.isdir)
		ok = ok && (r & SP_MODRGT);
	else if ((mode & W_OK) && px_parent(norm, &dir, &name) == STD_OK) {
		ok = ok && px_dir_writable(&dir);
		cs_free(&dir);
	}
	px_objfree(&o);
	return ok ? 0 : px_fail(EACCES);
}

int
unlink(const char *path)
{
	char norm[PX_PATHMAX];
	struct px_obj o;
	const char *name;
	capset dir;
	errstat err;
	int e;

	if ((e = px_find(path, norm, &o)) != 0)
		return px_fail(e);
	if (o.isdir) {
		px_objfree(&o);
		return px_fail(EISDIR);
	}
	err = px_parent(norm, &dir, &name);
	if (err == STD_OK) {
		err = sp_delete(&dir, name);
		cs_free(&dir);
	}
	if (err == STD_OK && o.isfile)
		std_destroy(&o.cap);
	px_objfree(&o);
	return err == STD_OK ? 0 : px_failerr(err);
}

int
mkdir(const char *path, mode_t mode)
{
	char norm[PX_PATHMAX];
	errstat err;

	(void)mode;
	if ((err = px_norm(path, norm)) != STD_OK)
		return px_failerr(err);
	if (strcmp(norm, "/") == 0 || strcmp(norm, ".") == 0)
		return px_fail(EEXIST);
	err = sp_mkdir(SP_DEFAULT, norm, NULL);
	return err == STD_OK ? 0 : px_failerr(err);
}

int
rmdir(const char *path)
{
	char norm[PX_PATHMAX];
	struct px_obj o;
	const char *name;
	capset dir = { 0, 0, NULL };
	errstat err;
	int e;

	if ((e = px_find(path, norm, &o)) != 0)
		return px_fail(e);
	if (!o.isdir) {
		px_objfree(&o);
		return px_fail(ENOTDIR);
	}
	err = px_parent(norm, &dir, &name);
	if (err == STD_ARGBAD)
		err = STD_NOTNOW;		/* "/" or "." */
	if (err == STD_OK && !px_dir_writable(&dir))
		err = STD_DENIED;
	if (err == STD_OK && (err = sp_discard(&o.cs)) == STD_OK)
		err = sp_delete(&dir, name);
	cs_free(&dir);
	px_objfree(&o);
	if (err == STD_NOTNOW)
		return px_fail(EBUSY);
	return err == STD_OK ? 0 : px_failerr(err);
}

/* rename: the target exists; check the kinds, then replace it. */
static errstat
px_rename_over(struct px_obj *o, struct px_obj *n, capset *ndir,
	       const char *nname)
{
	errstat err;

	if (n->isdir && !o->isdir)
		return STD_SYSERR;		/* EISDIR */
	if (!n->isdir && o->isdir)
		return STD_COMBAD;		/* ENOTDIR */
	if (memcmp(&n->cap, &o->cap, CAPSIZE) == 0)
		return STD_OK;			/* the same object */
	if (n->isdir && (err = sp_discard(&n->cs)) != STD_OK)
		return err;			/* SP_NOTEMPTY: ENOTEMPTY */
	if ((err = sp_replace(ndir, nname, &o->cs)) != STD_OK)
		return err;
	if (n->isfile)
		std_destroy(&n->cap);
	return STD_OK;
}

/* rename: the target is new; keep the entry's column masks. */
static errstat
px_rename_new(struct px_obj *o, capset *odir, const char *oname,
	      capset *ndir, const char *nname)
{
	rights_bits m[SP_MAXCOLUMNS];
	errstat err;

	err = sp_getmasks(odir, oname, SP_MAXCOLUMNS, m);
	if (err != STD_OK)
		return err;
	return sp_append(ndir, nname, &o->cs, SP_MAXCOLUMNS, m);
}

/* Move the entry onew names to nnew (both normalised). */
static errstat
px_move(const char *oldn, const char *newn, struct px_obj *o)
{
	capset od = { 0, 0, NULL }, nd = { 0, 0, NULL };
	const char *on, *nn;
	struct px_obj n;
	errstat err;

	if ((err = px_parent(oldn, &od, &on)) != STD_OK ||
	    (err = px_parent(newn, &nd, &nn)) != STD_OK)
		goto out;
	err = px_lookup(newn, &n);
	if (err == STD_OK) {
		err = px_rename_over(o, &n, &nd, nn);
		px_objfree(&n);
	} else if (err == STD_NOTFOUND) {
		err = px_rename_new(o, &od, on, &nd, nn);
	}
	if (err == STD_OK)
		err = sp_delete(&od, on);
out:
	cs_free(&od);
	cs_free(&nd);
	return err;
}

int
rename(const char *old, const char *new)
{
	char on[PX_PATHMAX], nn[PX_PATHMAX];
	struct px_obj o;
	errstat err;
	size_t ol;
	int e;

	if ((e = px_find(old, on, &o)) != 0)
		return px_fail(e);
	err = px_norm(new, nn);
	ol = strlen(on);
	if (err == STD_OK && strcmp(on, nn) == 0)
		err = STD_OK;
	else if (err == STD_OK && strncmp(nn, on, ol) == 0 && nn[ol] == '/')
		err = STD_ARGBAD;	/* a directory into itself */
	else if (err == STD_OK)
		err = px_move(on, nn, &o);
	px_objfree(&o);
	if (err == STD_SYSERR)
		return px_fail(EISDIR);
	return err == STD_OK ? 0 : px_failerr(err);
}
