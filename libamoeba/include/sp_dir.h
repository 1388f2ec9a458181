/*
 * sp_dir.h - reading a SOAP directory as a whole: sp_list fetches every
 * row (several SP_LIST transactions for a large directory) into an
 * SP_DIR; sp_opendir/sp_readdir/... walk it like POSIX opendir.
 */
#ifndef SP_DIR_H
#define SP_DIR_H

#include <amoeba.h>
#include <capset.h>

struct sp_direct {
	char *d_name;			/* name (up to NAME_MAX + 1) */
	int d_namlen;			/* strlen(d_name) */
	rights_bits *d_columns;		/* rights mask per column */
};

typedef struct _dirdesc {
	capset dd_capset;		/* the directory */
	int dd_ncols;			/* its columns */
	int dd_nrows;			/* its rows */
	char **dd_colnames;		/* dd_ncols column names */
	struct sp_direct *dd_rows;	/* dd_nrows rows */
	int dd_curpos;			/* sp_readdir's position */
} SP_DIR;

void sp_closedir(SP_DIR *dd);
SP_DIR *sp_opendir(char *name);
struct sp_direct *sp_readdir(SP_DIR *dd);
void sp_rewinddir(SP_DIR *dd);
void sp_seekdir(SP_DIR *dd, long pos);
long sp_telldir(SP_DIR *dd);
errstat sp_list(capset *dir, SP_DIR **ddp);

#endif /* SP_DIR_H */
