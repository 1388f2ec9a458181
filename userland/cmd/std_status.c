/*
 * std_status - print the STD_STATUS string of each object named.
 *
 *   std_status [-m NODE] NAME...
 *
 * NAME is an entry of the node's kernel directory (sys, proc, tty, ...),
 * "%" for the directory itself, or a capability as 32 hex digits.  The
 * node is -m NODE, else $VX_NODE, else "vx".  Exit status 1 if any fails.
 */
#include <amoeba.h>
#include <stderr.h>
#include <module/stdcmd.h>

#include "cmdutil.h"

int
main(int argc, char **argv)
{
	return cmd_std_text(argc, argv, std_status);
}
