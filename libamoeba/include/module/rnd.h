/*
 * module/rnd.h - random numbers: fresh ports and the random server.
 * Implemented by the user library and by the kernel, not by the portable
 * code.
 */
#ifndef MODULE_RND_H
#define MODULE_RND_H

#include <amoeba.h>

/* uniqport - fill *p with a random, non-null port. */
void uniqport(port *p);

/* rnd_getrandom - ask the random server for size random bytes. */
errstat rnd_getrandom(char *buf, int size);

/* rnd_setcap - use the random server *cap from now on. */
void rnd_setcap(capability *cap);
/*
 * rnd_defcap - back to the default server: $RANDOM from the capability
 * environment, else the node's kernel directory.  STD_OK or its error.
 */
errstat rnd_defcap(void);

#endif /* MODULE_RND_H */
