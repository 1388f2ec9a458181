/*
 * amoeba.h - the basic Amoeba types: ports, capabilities, the 32-byte
 * message header, error status and buffer sizes.
 *
 * Layouts follow Amoeba 5.3 exactly (spec 1.1 and 3.1); every wire type
 * has a _Static_assert on its size.  Included by user programs, by the
 * kernel and by the portable protocol code, so it uses only <stdint.h>
 * (and _ARGS.h, the prototype macro of Amoeba's headers).
 */
#ifndef AMOEBA_H
#define AMOEBA_H

#include <stdint.h>

#include <_ARGS.h>

typedef int8_t   int8;
typedef uint8_t  uint8;
typedef int16_t  int16;
typedef uint16_t uint16;
typedef int32_t  int32;
typedef uint32_t uint32;

#define PORTSIZE	6		/* bytes in a port */
#define CAPSIZE		16		/* bytes in a capability */
#define HEADERSIZE	32		/* bytes in a message header */
#define MAX_OBJNUM	0xFFFFFF	/* largest 24-bit object number */
#define PRV_ALL_RIGHTS	0xFF		/* the "all rights" rights byte */

typedef struct {
	uint8 _portbytes[PORTSIZE];	/* raw port bytes, byte 0 first */
} port;

typedef struct {
	uint8 prv_object[3];		/* object number, little-endian */
	uint8 prv_rights;		/* rights bits */
	port prv_random;		/* check field */
} private;

typedef struct {
	port cap_port;			/* server put-port */
	private cap_priv;		/* object, rights, check */
} capability;

typedef uint16 command;			/* request command code */
typedef uint16 bufsize;			/* old-style buffer size (<= 30000) */
typedef int32 f_size_t;			/* 32-bit size of the rpc_* calls */
typedef int32 errstat;			/* 0 = STD_OK, negative = error */
typedef int32 interval;			/* time in milliseconds */
typedef int32 objnum;			/* object number, 0 .. MAX_OBJNUM */
typedef int32 rights_bits;		/* rights mask (low 8 bits used) */
typedef char *bufptr;			/* message buffer pointer */

typedef struct {
	port h_port;			/* put-port (trans) / get-port (getreq) */
	port h_signature;		/* reserved, passed through */
	private h_priv;			/* private part of the capability */
	command h_command;		/* request code; h_status in replies */
	int32 h_offset;			/* free use */
	bufsize h_size;			/* free use (buffer length) */
	uint16 h_extra;			/* free use */
} header;

#define h_status h_command

_Static_assert(sizeof(port) == 6, "port is 6 bytes");
_Static_assert(sizeof(private) == 10, "private is 10 bytes");
_Static_assert(sizeof(capability) == 16, "capability is 16 bytes");
_Static_assert(sizeof(header) == 32, "header is 32 bytes");
_Static_assert(__builtin_offsetof(header, h_priv) == 12, "h_priv at 12");
_Static_assert(__builtin_offsetof(header, h_command) == 22, "h_command at 22");
_Static_assert(__builtin_offsetof(header, h_offset) == 24, "h_offset at 24");
_Static_assert(__builtin_offsetof(header, h_size) == 28, "h_size at 28");
_Static_assert(__builtin_offsetof(header, h_extra) == 30, "h_extra at 30");

/* Old-style byte counts and statuses: negative as a 16-bit value = error. */
#define ERR_STATUS(n)	((int16)(n) < 0)
#define ERR_CONVERT(n)	((errstat)(int16)(n))

/* Largest buffer of the old trans/getreq/putrep calls (spec 2.8). */
#define MAX_OLD_BUFSIZE	30000

static inline int
am_portcmp(const port *a, const port *b)
{
	int i;

	for (i = 0; i < PORTSIZE; i++)
		if (a->_portbytes[i] != b->_portbytes[i])
			return 0;
	return 1;
}

static inline int
am_nullport(const port *p)
{
	int i;

	for (i = 0; i < PORTSIZE; i++)
		if (p->_portbytes[i] != 0)
			return 0;
	return 1;
}

/* Amoeba's macro names: non-zero when equal / when null. */
#define PORTCMP(p, q)	am_portcmp((p), (q))
#define NULLPORT(p)	am_nullport(p)

#define SIZEOFTABLE(t)	(sizeof(t) / sizeof((t)[0]))
#define NILPORT		((port *)0)
#define NILBUF		((bufptr)0)

typedef long mutex;			/* module/mutex.h: 0 = unlocked */
typedef char *event;			/* what a thread may wait for */

/*
 * The calls every Amoeba program may use without another header, as
 * Amoeba 5.3's amoeba.h declares them (sizes as int arguments; module/rpc.h
 * has the 32-bit rpc_* variants).  getcap is in user programs only.
 */
typedef int _bufsize;
bufsize trans(header *req, bufptr rbuf, _bufsize rn, header *rep,
	      bufptr pbuf, _bufsize pn);
bufsize getreq(header *h, bufptr buf, _bufsize n);
void putrep(header *h, bufptr buf, _bufsize n);
interval timeout(interval ms);
void priv2pub(const port *getport, port *putport);
capability *getcap(const char *name);

#endif /* AMOEBA_H */
