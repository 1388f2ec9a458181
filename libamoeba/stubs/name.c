/*
 * name.c - path names to single capabilities: the name module
 * (module/name.h) and the old dir_* interface (module/direct.h), both
 * over the SOAP stubs.  A capability is stored as a one-member capset
 * with the default column masks (sp_mask); a lookup returns the first
 * current member.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <caplist.h>
#include <capset.h>
#include <stderr.h>
#include <module/buffers.h>
#include <module/direct.h>
#include <module/name.h>
#include <sp_dir.h>
#include <server/soap/soap.h>
#include "soap_client.h"

static errstat
cap_lookup(capset *dir, const char *name, capability *cap)
{
	capset cs;
	errstat err;

	if (name == NULL || cap == NULL)
		return STD_ARGBAD;
	if ((err = sp_lookup(dir, name, &cs)) != STD_OK)
		return err;
	err = cs_to_cap(&cs, cap);
	cs_free(&cs);
	return err;
}

static errstat
cap_store(capset *dir, const char *name, capability *cap, int replace)
{
	long m[SP_MAXCOLUMNS];
	rights_bits masks[SP_MAXCOLUMNS];
	capset cs;
	errstat err;
	int n, i;

	if (name == NULL || cap == NULL)
		return STD_ARGBAD;
	if (!cs_singleton(&cs, cap))
		return STD_NOMEM;
	if (replace) {
		err = sp_replace(dir, name, &cs);
	} else {
		n = sp_mask(SP_MAXCOLUMNS, m);
		for (i = 0; i < n; i++)
			masks[i] = (rights_bits)m[i];
		err = sp_append(dir, name, &cs, n, masks);
	}
	cs_free(&cs);
	return err;
}

errstat
name_lookup(char *name, capability *cap)
{
	return cap_lookup(SP_DEFAULT, name, cap);
}

errstat
name_append(char *name, capability *cap)
{
	return cap_store(SP_DEFAULT, name, cap, 0);
}

errstat
name_replace(char *name, capability *cap)
{
	return cap_store(SP_DEFAULT, name, cap, 1);
}

errstat
name_delete(char *name)
{
	return sp_delete(SP_DEFAULT, name);
}

/* A new directory with the default columns, entered under name. */
errstat
name_create(char *name)
{
	return sp_mkdir(SP_DEFAULT, name, NULL);
}

/* Delete name and, if it is an empty directory, discard it. */
errstat
name_remove(char *name)
{
	capset cs;
	errstat err;

	if ((err = sp_lookup(SP_DEFAULT, name, &cs)) != STD_OK)
		return err;
	err = sp_discard(&cs);
	cs_free(&cs);
	if (err != STD_OK)
		return err;
	return sp_delete(SP_DEFAULT, name);
}

/* The directory holding the last component of path, in *dir; returns
 * that component (inside path), or NULL. */
char *
name_breakpath(char *path, capability *dir)
{
	const char *last = path;
	capset cs;
	errstat err;

	if (path == NULL || dir == NULL)
		return NULL;
	if ((err = sp_traverse(SP_DEFAULT, &last, &cs)) != STD_OK)
		return NULL;
	err = cs_to_cap(&cs, dir);
	cs_free(&cs);
	return err == STD_OK ? (char *)last : NULL;
}

#define CWD_MAXCAPS	30		/* environment entries kept */

/* Point WORK in the capability environment at cap; a process without a
 * WORK entry gets a new list with one added. */
static errstat
set_work(const capability *cap)
{
	static capability work;
	static struct caplist list[CWD_MAXCAPS + 2];
	struct caplist *c;
	int n = 0;

	work = *cap;
	for (c = vx_capv; c != NULL && c->cl_name != NULL; c++, n++)
		if (strcmp(c->cl_name, "WORK") == 0) {
			c->cl_cap = &work;
			return STD_OK;
		}
	if (n > CWD_MAXCAPS)
		return STD_NOSPACE;
	if (n > 0 && vx_capv != list)
		memcpy(list, vx_capv, (size_t)n * sizeof(list[0]));
	list[n].cl_name = "WORK";
	list[n].cl_cap = &work;
	list[n + 1].cl_name = NULL;
	list[n + 1].cl_cap = NULL;
	vx_capv = list;
	return STD_OK;
}

/* Change the working directory: WORK becomes the directory path names,
 * and $PWD (and $_WORK, Amoeba's name) its normalised name when path is
 * absolute (used for ".."). */
errstat
cwd_set(char *path)
{
	capability dir;
	capset cs;
	errstat err;
	char norm[SP_PATHMAX + 1];

	if (path == NULL)
		return STD_ARGBAD;
	if ((err = sp_path_norm(path, norm, sizeof(norm))) != STD_OK)
		return err;
	if ((err = sp_lookup(SP_DEFAULT, norm, &cs)) != STD_OK)
		return err;
	err = cs_to_cap(&cs, &dir);
	cs_free(&cs);
	if (err == STD_OK)
		err = set_work(&dir);
	if (err == STD_OK && norm[0] == '/') {
		setenv("PWD", norm, 1);
		setenv("_WORK", norm, 1);	/* Amoeba's name for it */
	}
	return err;
}

/* ---- the dir_* interface ------------------------------------------- */

/* The capset for a dir_* directory argument in *d: SP_DEFAULT for NULL or
 * a zero capability, else cs made from it (cs_free it when *d == cs). */
static errstat
dir_cs(capability *dir, capset *cs, capset **d)
{
	static const capability zero;

	*d = SP_DEFAULT;
	if (dir == NULL || memcmp(dir, &zero, sizeof(zero)) == 0)
		return STD_OK;
	if (!cs_singleton(cs, dir))
		return STD_NOMEM;
	*d = cs;
	return STD_OK;
}

#define WITH_DIR(dir, call)                                              \
	do {                                                             \
		capset cs_, *d_;                                         \
		errstat e_ = dir_cs((dir), &cs_, &d_);                   \
		if (e_ != STD_OK)                                        \
			return e_;                                       \
		e_ = (call);                                             \
		if (d_ != SP_DEFAULT)                                    \
			cs_free(&cs_);                                   \
		return e_;                                               \
	} while (0)

capability *
dir_origin(const char *path)
{
	static capability origin;
	capset cs;
	errstat err;

	err = path != NULL && path[0] == '/' ? sp_get_rootdir(&cs)
					     : sp_get_workdir(&cs);
	if (err != STD_OK)
		return NULL;
	err = cs_to_cap(&cs, &origin);
	cs_free(&cs);
	return err == STD_OK ? &origin : NULL;
}

errstat
dir_lookup(capability *dir, char *name, capability *cap)
{
	WITH_DIR(dir, cap_lookup(d_, name, cap));
}

errstat
dir_append(capability *dir, char *name, capability *cap)
{
	WITH_DIR(dir, cap_store(d_, name, cap, 0));
}

errstat
dir_replace(capability *dir, char *name, capability *cap)
{
	WITH_DIR(dir, cap_store(d_, name, cap, 1));
}

errstat
dir_delete(capability *dir, char *name)
{
	WITH_DIR(dir, sp_delete(d_, name));
}

errstat
dir_create(capability *server, capability *newdir)
{
	static char *cols[] = { "owner", "group", "other", NULL };
	capset cs, nd;
	errstat err;

	if (newdir == NULL)
		return STD_ARGBAD;
	if (server == NULL || !cs_singleton(&cs, server))
		return STD_ARGBAD;
	err = sp_create(&cs, cols, &nd);
	cs_free(&cs);
	if (err == STD_OK) {
		err = cs_to_cap(&nd, newdir);
		cs_free(&nd);
	}
	return err;
}

char *
dir_breakpath(capability *dir, char *path, capability *last)
{
	const char *rest = path;
	capset cs, out, *d;
	errstat err;

	if (path == NULL || last == NULL || dir_cs(dir, &cs, &d) != STD_OK)
		return NULL;
	err = sp_traverse(d, &rest, &out);
	if (err == STD_OK) {
		err = cs_to_cap(&out, last);
		cs_free(&out);
	}
	if (d != SP_DEFAULT)
		cs_free(&cs);
	return err == STD_OK ? (char *)rest : NULL;
}

/* Fetch the names of rows d->offset.. into d->buf. */
static errstat
dir_fill(struct dir_open *d)
{
	SP_DIR *dd;
	capset cs;
	errstat err;
	char *p = d->buf, *end = d->buf + sizeof(d->buf);
	int i;

	if (!cs_singleton(&cs, &d->dircap))
		return STD_NOMEM;
	err = sp_list(&cs, &dd);
	cs_free(&cs);
	if (err != STD_OK)
		return err;
	for (i = (int)d->offset; i < dd->dd_nrows; i++) {
		size_t n = strlen(dd->dd_rows[i].d_name) + 1;

		if ((size_t)(end - p) < n)
			break;
		memcpy(p, dd->dd_rows[i].d_name, n);
		p += n;
	}
	d->offset = i;
	d->next = d->buf;
	d->last = p;
	sp_closedir(dd);
	return STD_OK;
}

struct dir_open *
dir_open(capability *dir)
{
	struct dir_open *d;
	capability *o = dir;

	if (o == NULL && (o = dir_origin(".")) == NULL)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->dircap = *o;
	if (dir_fill(d) != STD_OK) {
		free(d);
		return NULL;
	}
	return d;
}

char *
dir_next(struct dir_open *d)
{
	char *name;

	if (d == NULL)
		return NULL;
	if (d->next >= d->last) {
		long before = d->offset;

		if (dir_fill(d) != STD_OK || d->offset == before)
			return NULL;
	}
	name = d->next;
	d->next += strlen(name) + 1;
	return name;
}

errstat
dir_close(struct dir_open *d)
{
	free(d);
	return STD_OK;
}

errstat
dir_rewind(struct dir_open *d)
{
	if (d == NULL)
		return STD_ARGBAD;
	d->offset = 0;
	return dir_fill(d);
}
