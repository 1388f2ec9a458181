/*
 * sp_dir.c - a whole directory in memory (sp_dir.h): sp_list repeats
 * SP_LIST from row h_extra until the server answers 0xFFFF, checking
 * that the column and row counts stay the same; sp_opendir/readdir walk
 * the result.
 */
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <capset.h>
#include <stderr.h>
#include <sp_dir.h>
#include <module/buffers.h>
#include <server/soap/soap.h>
#include "soap_client.h"

#define SP_NOMOREROWS	0xFFFF

void
sp_closedir(SP_DIR *dd)
{
	int i;

	if (dd == NULL)
		return;
	for (i = 0; dd->dd_colnames && i < dd->dd_ncols; i++)
		free(dd->dd_colnames[i]);
	for (i = 0; dd->dd_rows && i < dd->dd_nrows; i++) {
		free(dd->dd_rows[i].d_name);
		free(dd->dd_rows[i].d_columns);
	}
	free(dd->dd_colnames);
	free(dd->dd_rows);
	cs_free(&dd->dd_capset);
	free(dd);
}

/* The header of a reply: counts and, on the first, the column names. */
static char *
list_head(SP_DIR *dd, char *p, char *e, int first)
{
	int16 nc, nr;
	char *name;
	int i;

	p = buf_get_int16(p, e, &nc);
	p = buf_get_int16(p, e, &nr);
	if (p == NULL || nc < 1 || nc > SP_MAXCOLUMNS || nr < 0)
		return NULL;
	if (first) {
		dd->dd_ncols = nc;
		dd->dd_nrows = nr;
		dd->dd_colnames = calloc((size_t)nc, sizeof(char *));
		dd->dd_rows = calloc((size_t)nr + 1, sizeof(struct sp_direct));
		if (dd->dd_colnames == NULL || dd->dd_rows == NULL)
			return NULL;
	} else if (nc != dd->dd_ncols || nr != dd->dd_nrows) {
		return NULL;
	}
	for (i = 0; i < nc && p != NULL; i++) {
		p = buf_get_string(p, e, &name);
		if (p != NULL && first &&
		    (dd->dd_colnames[i] = strdup(name)) == NULL)
			return NULL;
	}
	return p;
}

/* Rows first.. of one reply; returns the row after the last one read. */
static int
list_rows(SP_DIR *dd, char *p, char *e, int row)
{
	struct sp_direct *d;
	char *name;
	int c;

	for (; p != NULL && p < e && row < dd->dd_nrows; row++) {
		d = &dd->dd_rows[row];
		p = buf_get_string(p, e, &name);
		if (p == NULL)
			return -1;
		d->d_name = strdup(name);
		d->d_namlen = (int)strlen(name);
		d->d_columns = calloc((size_t)dd->dd_ncols, sizeof(rights_bits));
		if (d->d_name == NULL || d->d_columns == NULL)
			return -1;
		for (c = 0; c < dd->dd_ncols; c++)
			p = buf_get_right_bits(p, e, &d->d_columns[c]);
		if (p == NULL)
			return -1;
	}
	return row;
}

errstat
sp_list(capset *dir, SP_DIR **ddp)
{
	SP_DIR *dd;
	header h;
	char *buf, *p;
	errstat err = STD_OK;
	int n = 0, row = 0, got;

	if (dir == NULL || ddp == NULL)
		return STD_ARGBAD;
	dd = calloc(1, sizeof(*dd));
	buf = malloc(SP_BUFSIZE);
	if (dd == NULL || buf == NULL || !cs_copy(&dd->dd_capset, dir)) {
		free(buf);
		free(dd);
		return STD_NOMEM;
	}
	for (;;) {
		memset(&h, 0, sizeof(h));
		h.h_extra = (uint16)row;
		err = sp_mktrans(SP_NTRY, dir, &h, SP_LIST, NULL, 0, buf,
				 SP_BUFSIZE, &n);
		if (err != STD_OK)
			break;
		p = list_head(dd, buf, buf + n, row == 0 && dd->dd_rows == NULL);
		got = p ? list_rows(dd, p, buf + n, row) : -1;
		if (got < 0 || (h.h_extra != SP_NOMOREROWS &&
				(h.h_extra <= row || h.h_extra != got))) {
			err = STD_SYSERR;
			break;
		}
		row = got;
		if (h.h_extra == SP_NOMOREROWS)
			break;
	}
	free(buf);
	if (err == STD_OK && row < dd->dd_nrows)
		dd->dd_nrows = row;	/* shrank while we listed */
	if (err != STD_OK) {
		sp_closedir(dd);
		return err;
	}
	*ddp = dd;
	return STD_OK;
}

SP_DIR *
sp_opendir(char *name)
{
	capset cs;
	SP_DIR *dd = NULL;

	if (name == NULL || sp_lookup(SP_DEFAULT, name, &cs) != STD_OK)
		return NULL;
	if (sp_list(&cs, &dd) != STD_OK)
		dd = NULL;
	cs_free(&cs);
	return dd;
}

struct sp_direct *
sp_readdir(SP_DIR *dd)
{
	if (dd == NULL || dd->dd_curpos >= dd->dd_nrows)
		return NULL;
	return &dd->dd_rows[dd->dd_curpos++];
}

void
sp_rewinddir(SP_DIR *dd)
{
	if (dd != NULL)
		dd->dd_curpos = 0;
}

void
sp_seekdir(SP_DIR *dd, long pos)
{
	if (dd != NULL && pos >= 0 && pos <= dd->dd_nrows)
		dd->dd_curpos = (int)pos;
}

long
sp_telldir(SP_DIR *dd)
{
	return dd ? dd->dd_curpos : -1;
}
