/*
 * server/soap/soap.h - the SOAP directory server (spec 7): commands
 * 2100.., errors, rights, and the sp_* client stubs (libamoeba/stubs/
 * soap.c).  The kernel directory of each node answers SP_LIST and
 * SP_LOOKUP with the same formats.
 */
#ifndef SERVER_SOAP_SOAP_H
#define SERVER_SOAP_SOAP_H

#include <amoeba.h>
#include <capset.h>
#include <cmdreg.h>

#ifndef SP_FIRST_ERR
#define SP_FIRST_ERR	(-SP_FIRST_COM)	/* errors are -2101.. */
#endif

#define SP_BUFSIZE	(8 * 1024)	/* SP_LIST reply buffer */
#define SP_MAXCOLUMNS	4		/* columns of a directory */
#define SP_NTRY		3		/* tries of an idempotent operation */

#define SP_CREATE	(SP_FIRST_COM + 0)
#define SP_DISCARD	(SP_FIRST_COM + 1)
#define SP_LIST		(SP_FIRST_COM + 2)
#define SP_APPEND	(SP_FIRST_COM + 3)
#define SP_CHMOD	(SP_FIRST_COM + 4)
#define SP_DELETE	(SP_FIRST_COM + 5)
#define SP_LOOKUP	(SP_FIRST_COM + 6)
#define SP_SETLOOKUP	(SP_FIRST_COM + 7)
#define SP_INSTALL	(SP_FIRST_COM + 8)
#define SP_PUTTYPE	(SP_FIRST_COM + 9)
#define SP_REPLACE	(SP_FIRST_COM + 10)
#define SP_GETMASKS	(SP_FIRST_COM + 11)
#define SP_GETSEQNR	(SP_FIRST_COM + 12)

#define SP_UNAVAIL	((errstat)SP_FIRST_ERR - 1)
#define SP_NOTEMPTY	((errstat)SP_FIRST_ERR - 2)
#define SP_UNREACH	((errstat)SP_FIRST_ERR - 3)
#define SP_CLASH	((errstat)SP_FIRST_ERR - 4)

#define SP_COLMASK	((1L << SP_MAXCOLUMNS) - 1)	/* column rights */
#define SP_DELRGT	0x80L		/* delete/discard the directory */
#define SP_MODRGT	0x40L		/* modify the directory */

/* As a directory argument: ROOT for "/..." paths, else WORK. */
#define SP_DEFAULT	((capset *)0)

typedef struct {
	capset se_capset;		/* the directory */
	char *se_name;			/* an entry in it */
} sp_entry;

typedef struct {
	short sr_status;		/* STD_OK or the error for this entry */
	capability sr_typecap;		/* the entry's type capability */
	long sr_time;			/* its modification time (seconds) */
	capset sr_capset;		/* its capset */
} sp_result;

typedef struct {
	uint32 seq[2];			/* 64-bit sequence number, low first */
} sp_seqno_t;

errstat sp_append(capset *dir, const char *name, capset *cs, int ncols,
		  rights_bits cols[]);
errstat sp_chmod(capset *dir, const char *name, int ncols,
		 rights_bits cols[]);
errstat sp_create(capset *server, char *columns[], capset *dir);
errstat sp_delete(capset *dir, const char *name);
errstat sp_discard(capset *dir);
errstat sp_getmasks(capset *dir, const char *name, int ncols,
		    rights_bits cols[]);
errstat sp_getseqno(capset *dir, sp_seqno_t *seqno);
errstat sp_install(int n, sp_entry entries[], capset capsets[],
		   capability *oldcaps[]);
errstat sp_lookup(capset *dir, const char *path, capset *cs);
errstat sp_replace(capset *dir, const char *name, capset *cs);
errstat sp_setlookup(int n, sp_entry in[], sp_result out[]);
errstat sp_traverse(capset *dir, const char **path, capset *last);
errstat sp_get_workdir(capset *work);
errstat sp_get_rootdir(capset *root);

errstat sp_mkdir(capset *start, char *path, char **colnames);
int sp_mask(int nmasks, long *maskar);
errstat sp_init(void);
char *sp_alloc(unsigned int size, unsigned int n);

#endif /* SERVER_SOAP_SOAP_H */
