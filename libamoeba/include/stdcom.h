/*
 * stdcom.h - the standard commands every Amoeba server may implement
 * (spec 5) and the rights bits shared by several servers.
 */
#ifndef STDCOM_H
#define STDCOM_H

#include <cmdreg.h>

#define STD_MONITOR	(STD_FIRST_COM + 0)	/* 1000 */
#define STD_AGE		(STD_FIRST_COM + 1)	/* 1001 */
#define STD_COPY	(STD_FIRST_COM + 2)	/* 1002 */
#define STD_DESTROY	(STD_FIRST_COM + 3)	/* 1003 */
#define STD_INFO	(STD_FIRST_COM + 4)	/* 1004 */
#define STD_RESTRICT	(STD_FIRST_COM + 5)	/* 1005 */
#define STD_STATUS	(STD_FIRST_COM + 6)	/* 1006 */
#define STD_TOUCH	(STD_FIRST_COM + 7)	/* 1007 */
#define STD_GETPARAMS	(STD_FIRST_COM + 8)	/* 1008 */
#define STD_SETPARAMS	(STD_FIRST_COM + 9)	/* 1009 */
#define STD_NTOUCH	(STD_FIRST_COM + 10)	/* 1010 */

/* Rights used by several servers. */
#define RGT_CREATE	0x01
#define RGT_READ	0x02
#define RGT_MODIFY	0x04
#define RGT_DELETE	0x08

#define STD_INFO_MAX	256	/* conventional longest std_info string */
#define STD_STATUS_MAX	5000	/* conventional longest std_status text */
#define STD_NTOUCH_MAX	2000	/* privates per STD_NTOUCH call */

#endif /* STDCOM_H */
