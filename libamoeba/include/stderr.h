/*
 * stderr.h - the standard Amoeba error codes (spec 3.10).
 *
 * Each server owns a block of 100 command numbers; its error codes are
 * the negatives of those commands.  STD_OK is 0; every error is negative.
 */
#ifndef STDERR_H
#define STDERR_H

#include <amoeba.h>

#define STD_OK		0

/* RPC errors (reserved range 1..999). */
#define RPC_FAILURE	(-1)	/* server or network failure */
#define RPC_NOTFOUND	(-2)	/* locate failed */
#define RPC_BADADDRESS	(-3)	/* invalid buffer or header pointer */
#define RPC_ABORTED	(-4)	/* signal received while blocked */
#define RPC_TRYAGAIN	(-5)	/* out of resources */
#define RPC_COMBAD	(-6)
#define RPC_REMOTERPC	(-7)
#define RPC_BADPORT	(-8)	/* null port */
#define RPC_UNSAFE	(-9)	/* only untrusted paths to the server */

/*
 * FLIP interface errors (the endpoint calls of flip/flip.h; never sent
 * on the wire): a range of their own, so that they cannot be mistaken
 * for the RPC errors above.
 */
#define FLIP_FAIL	(-40)	/* bad argument or no resources */
#define FLIP_TIMEOUT	(-41)	/* destination not located in time */
#define FLIP_NOPACKET	(-42)	/* nothing to send or receive */
#define FLIP_UNKNOWN	(-43)	/* unknown destination */
#define FLIP_UNSAFE	(-44)	/* only untrusted routes */

/* Group communication errors. */
#define BC_FAIL		(-20)
#define BC_ABORT	(-21)
#define BC_TOOBIG	(-22)
#define BC_BADPORT	(-23)
#define BC_NOEXIST	(-24)
#define BC_TOOMANY	(-25)
#define BC_ILLRESET	(-28)

/* Standard server errors (the negatives of the standard commands). */
#define STD_CAPBAD	(-1000)
#define STD_COMBAD	(-1001)
#define STD_ARGBAD	(-1002)
#define STD_NOTNOW	(-1003)
#define STD_NOSPACE	(-1004)
#define STD_DENIED	(-1005)
#define STD_NOMEM	(-1006)
#define STD_EXISTS	(-1007)
#define STD_NOTFOUND	(-1008)
#define STD_SYSERR	(-1009)
#define STD_INTR	(-1010)
#define STD_OVERFLOW	(-1011)
#define STD_WRITEPROT	(-1012)
#define STD_NOMEDIUM	(-1013)
#define STD_NOMOREDATA	(-1014)	/* VX: nothing (yet): run_poll, run_wait */

/* Exec-library errors use -1899 .. -1999. */
#define EXEC_NOTEXEC	(-1900)	/* the file is not an executable */
#define EXEC_BIGARGS	(-1901)	/* arguments do not fit the stack */
#define EXEC_NOINTERP	(-1902)	/* bytecode, but no interpreter for it */
#define EXEC_NATIVE	(-1903)	/* VX: a native program for a bytecode host */

/* err_why - a constant English text for an error code (never NULL). */
const char *err_why(errstat err);

#endif /* STDERR_H */
