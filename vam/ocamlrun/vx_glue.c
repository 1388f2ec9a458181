/*
 * vx_glue.c - what the OCaml runtime needs and neither newlib nor
 * libamoeba's POSIX layer gives, linked into VX's ocamlrun.
 *
 * VX has no users or groups: every id is 0, so the runtime's
 * caml_secure_getenv reads the environment as for any process.  A VX
 * process has no parent id; getppid returns 0 (used only to seed the
 * random generator).  The runtime is built without the debugger (no
 * sockets), but interp.c still refers to the debugger's saved-instruction
 * lookup from the EVENT and BREAK instructions, which only the debugger
 * plants: reaching it is a fatal error.
 */
#include <sys/types.h>
#include <unistd.h>
#define CAML_INTERNALS
#include <caml/mlvalues.h>
#include <caml/misc.h>
#include <caml/debugger.h>

uid_t
getuid(void)
{
	return 0;
}

uid_t
geteuid(void)
{
	return 0;
}

gid_t
getgid(void)
{
	return 0;
}

gid_t
getegid(void)
{
	return 0;
}

pid_t
getppid(void)
{
	return 0;
}

opcode_t
caml_debugger_saved_instruction(code_t pc)
{
	(void)pc;
	caml_fatal_error("debugger breakpoint without a debugger");
}
