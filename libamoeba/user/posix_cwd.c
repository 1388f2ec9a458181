/*
 * posix_cwd.c - directory listing (opendir, readdir, rewinddir,
 * telldir, seekdir, closedir; <dirent.h>) and the working directory
 * (getcwd, chdir) over SOAP.
 *
 * The working directory is WORK in the capability environment; chdir
 * sets it with cwd_set (module/name.h) from an absolute path, made from
 * $PWD for a relative one, so $PWD always names it; getcwd returns
 * $PWD, or "/" for a process that has no WORK of its own (its WORK is
 * ROOT, see sp_get_workdir).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <sp_dir.h>
#include <module/name.h>
#include <server/soap/soap.h>
#include "libamoeba/stubs/soap_client.h"
#include "posix_impl.h"

DIR *
opendir(const char *path)
{
	char norm[PX_PATHMAX];
	struct px_obj o;
	errstat err;
	DIR *d;

	if ((err = px_norm(path, norm)) != STD_OK ||
	    (err = px_lookup(norm, &o)) != STD_OK) {
		px_failerr(err);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!o.isdir)
		err = o.isfile ? STD_COMBAD : STD_DENIED;
	else if (d == NULL)
		err = STD_NOMEM;
	else
		err = sp_list(&o.cs, &d->dd_list);
	px_objfree(&o);
	if (err != STD_OK) {
		free(d);
		px_failerr(err);
		return NULL;
	}
	return d;
}

struct dirent *
readdir(DIR *d)
{
	struct sp_direct *e;
	long pos;

	if (d == NULL) {
		errno = EBADF;
		return NULL;
	}
	pos = sp_telldir(d->dd_list);
	if ((e = sp_readdir(d->dd_list)) == NULL)
		return NULL;
	d->dd_ent.d_ino = (ino_t)(pos + 1);
	strncpy(d->dd_ent.d_name, e->d_name, MAXNAMLEN);
	d->dd_ent.d_name[MAXNAMLEN] = 0;
	return &d->dd_ent;
}

void
rewinddir(DIR *d)
{
	if (d != NULL)
		sp_rewinddir(d->dd_list);
}

long
telldir(DIR *d)
{
	return d != NULL ? sp_telldir(d->dd_list) : -1;
}

void
seekdir(DIR *d, long pos)
{
	if (d != NULL)
		sp_seekdir(d->dd_list, pos);
}

int
closedir(DIR *d)
{
	if (d == NULL)
		return px_fail(EBADF);
	sp_closedir(d->dd_list);
	free(d);
	return 0;
}

/* The name of the working directory, or NULL if it is not known. */
static const char *
cwd_name(void)
{
	const char *pwd = getenv("PWD");

	if (pwd != NULL && pwd[0] == '/')
		return pwd;
	return getcap("WORK") == NULL ? "/" : NULL;
}

char *
getcwd(char *buf, size_t size)
{
	const char *cwd = cwd_name();
	size_t n;

	if (cwd == NULL) {
		errno = ENOENT;
		return NULL;
	}
	n = strlen(cwd) + 1;
	if (buf == NULL)
		return strdup(cwd);
	if (size < n) {
		errno = size == 0 ? EINVAL : ERANGE;
		return NULL;
	}
	memcpy(buf, cwd, n);
	return buf;
}

int
chdir(const char *path)
{
	char norm[PX_PATHMAX], abs[PX_PATHMAX + 2];
	const char *cwd = cwd_name();
	struct px_obj o;
	errstat err;

	if ((err = px_norm(path, norm)) != STD_OK)
		return px_failerr(err);
	if (norm[0] != '/' && cwd != NULL) {
		if (strlen(cwd) + strlen(norm) + 2 > sizeof(abs))
			return px_fail(ENAMETOOLONG);
		strcpy(abs, cwd);
		strcat(abs, "/");
		strcat(abs, norm);
		if ((err = sp_path_norm(abs, norm, sizeof(norm))) != STD_OK)
			return px_failerr(err);
	}
	if ((err = px_lookup(norm, &o)) != STD_OK)
		return px_failerr(err);
	px_objfree(&o);
	if (!o.isdir)
		return px_fail(ENOTDIR);
	err = cwd_set(norm);
	return err == STD_OK ? 0 : px_failerr(err);
}
