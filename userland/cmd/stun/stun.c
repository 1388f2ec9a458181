/*
 * stun - end processes on any node (Amoeba's name for kill; the code
 * is userland/cmd/stunlib.h).
 *
 *   stun [-s detail] node:pid | program ...
 */
#include "../cmdlib.h"
#include "../cmdutil.h"
#include "../proclib.h"
#include "../stunlib.h"

int
main(int argc, char **argv)
{
	return stun_main(argc, argv, 0);
}
