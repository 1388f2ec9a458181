/*
 * kill - end processes on any node (also installed as stun, Amoeba's
 * name; the code is userland/cmd/stunlib.h).
 *
 *   kill [-s detail] node:pid | program ...
 *
 * See stunlib.h.
 */
#include "../cmdlib.h"
#include "../cmdutil.h"
#include "../proclib.h"
#include "../stunlib.h"

int
main(int argc, char **argv)
{
	return stun_main(argc, argv);
}
