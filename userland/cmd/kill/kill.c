/*
 * kill - end processes on any node, or signal them (the code, shared
 * with stun, Amoeba's name, is userland/cmd/stunlib.h).
 *
 *   kill [-s signal] node:pid | capability | /path | program ...
 *
 * Without -s each process is stunned (detail 9); with -s signal is
 * raised in it (pro_signal): its threads that catch it get it, and a
 * process that does not catch it is stunned with the signal as detail.
 */
#include "../cmdlib.h"
#include "../cmdutil.h"
#include "../proclib.h"
#include "../stunlib.h"

int
main(int argc, char **argv)
{
	return stun_main(argc, argv, 1);
}
