/* server/random/random.h - the kernel random server (command 2600). */
#ifndef SERVER_RANDOM_RANDOM_H
#define SERVER_RANDOM_RANDOM_H

#include <cmdreg.h>

#define RANDOM_SVR_NAME "random"
#define MAX_RANDOM 1024                 /* bytes per request */
#define RND_GETRANDOM (RND_FIRST_COM)   /* h_size = bytes wanted */

#endif /* SERVER_RANDOM_RANDOM_H */
