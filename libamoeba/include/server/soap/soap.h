/*
 * server/soap/soap.h - directory commands (spec 7.2).  The kernel
 * directory of each node answers SP_LIST and SP_LOOKUP.
 */
#ifndef SERVER_SOAP_SOAP_H
#define SERVER_SOAP_SOAP_H

#include <cmdreg.h>

#define SP_CREATE (SP_FIRST_COM + 0)
#define SP_DISCARD (SP_FIRST_COM + 1)
#define SP_LIST (SP_FIRST_COM + 2)
#define SP_APPEND (SP_FIRST_COM + 3)
#define SP_CHMOD (SP_FIRST_COM + 4)
#define SP_DELETE (SP_FIRST_COM + 5)
#define SP_LOOKUP (SP_FIRST_COM + 6)
#define SP_SETLOOKUP (SP_FIRST_COM + 7)
#define SP_INSTALL (SP_FIRST_COM + 8)
#define SP_PUTTYPE (SP_FIRST_COM + 9)
#define SP_REPLACE (SP_FIRST_COM + 10)
#define SP_GETMASKS (SP_FIRST_COM + 11)
#define SP_GETSEQNR (SP_FIRST_COM + 12)

#define SP_UNAVAIL (-SP_FIRST_COM - 1)
#define SP_NOTEMPTY (-SP_FIRST_COM - 2)
#define SP_UNREACH (-SP_FIRST_COM - 3)
#define SP_CLASH (-SP_FIRST_COM - 4)

#define SP_MAXCOLUMNS 4
#define SP_MODRGT 0x40
#define SP_DELRGT 0x80

#endif /* SERVER_SOAP_SOAP_H */
