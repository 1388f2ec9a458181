/*
 * server/bullet/bullet.h - the Bullet file server's interface (spec 6):
 * command numbers, rights, commit flags, tunables and the client stubs,
 * with Amoeba 5.3's names, numbers and signatures.
 *
 * Files are immutable once committed; a change to a committed file makes
 * a new uncommitted file whose capability comes back in the reply.  The
 * stubs split transfers larger than BS_REQBUFSZ into several
 * transactions and send the commit flags with the last one only.
 */
#ifndef SERVER_BULLET_BULLET_H
#define SERVER_BULLET_BULLET_H

#include <amoeba.h>
#include <cmdreg.h>

/* Bytes of data per request: one Ethernet train of 20 FLIP fragments. */
#define BS_REQBUFSZ ((1490 - (int)sizeof(header)) + (19 * 1490))

#define BS_MEM_RESERVE 0x300000		/* memory the cache leaves free */
#define BS_SWEEP_TIME 60000		/* ms between sweeps of the cache */
#define BS_CACHE_TIMEOUT 10		/* sweeps an uncommitted file lives */
#define AVERAGE_FILE_SIZE (12 * 1024)	/* mkfs: disk bytes per inode */
#define BS_MIN_CACHE_SLOTS 1024
#define BS_MIN_MEMORY (3 * 1024 * 1024)
#define BS_STATUS_SIZE 1024		/* longest STD_STATUS reply */
#define MAX_LIFETIME 24			/* STD_AGE sweeps a file survives */

#define BULLET_SVR_NAME "bullet"

typedef long b_fsize;			/* file sizes and offsets (32-bit) */

#define buf_put_bfsize buf_put_int32
#define buf_get_bfsize buf_get_int32

/* Commit flags (h_extra) */
#define BS_COMMIT 0x1			/* make the file immutable */
#define BS_SAFETY 0x2			/* on disk before the reply */

/* Commands (the same text as server/process/proc.h for BS_READ/SIZE) */
#define BS_CREATE	(BULLET_FIRST_COM + 1)
#define BS_DELETE	(BULLET_FIRST_COM + 2)
#define BS_FSCK		(BULLET_FIRST_COM + 3)
#define BS_INSERT	(BULLET_FIRST_COM + 4)
#define BS_MODIFY	(BULLET_FIRST_COM + 5)
#define BS_READ		(BULLET_FIRST_COM + 6)
#define BS_SIZE		(BULLET_FIRST_COM + 7)
#define BS_DISK_COMPACT	(BULLET_FIRST_COM + 8)
#define BS_SYNC		(BULLET_FIRST_COM + 9)

/* Rights; BS_RGT_ADMIN is valid in the super-capability only. */
#define BS_RGT_CREATE	((rights_bits)0x01)
#define BS_RGT_READ	((rights_bits)0x02)
#define BS_RGT_MODIFY	((rights_bits)0x04)
#define BS_RGT_DESTROY	((rights_bits)0x08)
#define BS_RGT_ADMIN	((rights_bits)0x80)
#define BS_RGT_ALL	PRV_ALL_RIGHTS

/* b_create: a new file from buf[0..size); its capability in *newfile. */
errstat b_create(capability *server, char *buf, b_fsize size, int commit,
		 capability *newfile);
/* b_delete: remove size bytes at offset (a new file if committed). */
errstat b_delete(capability *file, b_fsize offset, b_fsize size, int commit,
		 capability *newfile);
errstat b_disk_compact(capability *server);
/* b_fsck: check the disk (super-capability with BS_RGT_ADMIN). */
errstat b_fsck(capability *server);
errstat b_insert(capability *file, b_fsize offset, char *buf, b_fsize size,
		 int commit, capability *newfile);
errstat b_modify(capability *file, b_fsize offset, char *buf, b_fsize size,
		 int commit, capability *newfile);
/* b_read: up to size bytes at offset; *nread is short at end of file. */
errstat b_read(capability *file, b_fsize offset, char *buf, b_fsize size,
	       b_fsize *nread);
errstat b_size(capability *file, b_fsize *size);
errstat b_sync(capability *server);

#endif /* SERVER_BULLET_BULLET_H */
