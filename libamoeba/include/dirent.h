/*
 * dirent.h - POSIX directory reading for VX programs (newlib for
 * i686-elf has no <dirent.h> of its own: its sys/dirent.h is an
 * #error).  opendir lists a SOAP (or kernel) directory in one go
 * (sp_list, sp_dir.h); readdir returns its rows in directory order.
 * Implemented in libamoeba/user/posix_cwd.c.  Host builds, which also
 * search libamoeba/include, get the host's own <dirent.h>.
 */
#ifndef __VX__
#include_next <dirent.h>
#elif !defined(VX_DIRENT_H)
#define VX_DIRENT_H

#include <sys/types.h>

#define MAXNAMLEN	255		/* longest entry name */

struct dirent {
	ino_t d_ino;			/* row number + 1 (never 0) */
	char d_name[MAXNAMLEN + 1];	/* the entry's name */
};

typedef struct {
	struct _dirdesc *dd_list;	/* the listed rows (SP_DIR) */
	struct dirent dd_ent;		/* what readdir returns */
} DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
void rewinddir(DIR *dir);
long telldir(DIR *dir);
void seekdir(DIR *dir, long pos);
int closedir(DIR *dir);

#endif /* VX_DIRENT_H */
