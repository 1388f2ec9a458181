/*
 * err_why.c - English text for the standard error codes and the SOAP
 * directory server's.
 *
 * Entry point: err_why().  Pure; returns constant strings.
 */
#include <stddef.h>
#include <amoeba.h>
#include <stderr.h>
#include <server/soap/soap.h>

struct err_text {
	errstat code;		/* error code */
	const char *text;	/* its explanation */
};

static const struct err_text err_table[] = {
	{ STD_OK, "ok" },
	{ RPC_FAILURE, "rpc failure" },
	{ RPC_NOTFOUND, "server not found" },
	{ RPC_BADADDRESS, "illegal address" },
	{ RPC_ABORTED, "rpc aborted" },
	{ RPC_TRYAGAIN, "out of resources, try again" },
	{ RPC_COMBAD, "bad rpc command" },
	{ RPC_REMOTERPC, "remote rpc error" },
	{ RPC_BADPORT, "bad port" },
	{ RPC_UNSAFE, "server reachable only over untrusted networks" },
	{ FLIP_FAIL, "flip failure" },
	{ FLIP_TIMEOUT, "flip locate timed out" },
	{ FLIP_NOPACKET, "flip: no packet" },
	{ FLIP_UNKNOWN, "flip: unknown destination" },
	{ FLIP_UNSAFE, "flip: only untrusted routes" },
	{ BC_FAIL, "group failure" },
	{ BC_ABORT, "group aborted" },
	{ BC_TOOBIG, "group message too big" },
	{ BC_BADPORT, "bad group port" },
	{ BC_NOEXIST, "group does not exist" },
	{ BC_TOOMANY, "too many groups" },
	{ BC_ILLRESET, "illegal group reset" },
	{ STD_CAPBAD, "invalid capability" },
	{ STD_COMBAD, "invalid command" },
	{ STD_ARGBAD, "invalid argument" },
	{ STD_NOTNOW, "not now" },
	{ STD_NOSPACE, "no space" },
	{ STD_DENIED, "operation denied" },
	{ STD_NOMEM, "out of memory" },
	{ STD_EXISTS, "exists" },
	{ STD_NOTFOUND, "not found" },
	{ STD_SYSERR, "internal server error" },
	{ STD_INTR, "interrupted" },
	{ STD_OVERFLOW, "buffer overflow" },
	{ STD_WRITEPROT, "write protected" },
	{ STD_NOMEDIUM, "no medium" },
	{ STD_NOMOREDATA, "no more data" },
	{ SP_UNAVAIL, "no directory server answers" },
	{ SP_NOTEMPTY, "directory not empty" },
	{ SP_UNREACH, "directory entry on an unreachable server" },
	{ SP_CLASH, "directory update clash" },
	{ EXEC_NOTEXEC, "not an executable" },
	{ EXEC_BIGARGS, "arguments too long" },
	{ EXEC_NOINTERP, "bytecode, but no interpreter (/bin/ocamlrun)" },
	{ EXEC_NATIVE, "a native program: this host runs only bytecode" },
};

const char *
err_why(errstat err)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == err)
			return err_table[i].text;
	if (err <= -1899 && err >= -1999)
		return "exec error";
	return "unknown error";
}
