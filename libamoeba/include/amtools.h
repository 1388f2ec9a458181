/*
 * amtools.h - the umbrella header of Amoeba 5.3's utilities: the basic
 * types and errors, the common modules and the C library pieces every
 * Amoeba command uses.
 */
#ifndef AMTOOLS_H
#define AMTOOLS_H

#include <amoeba.h>
#include <cmdreg.h>
#include <stdcom.h>
#include <stderr.h>

#include <module/ar.h>
#include <module/direct.h>
#include <module/mutex.h>
#include <module/name.h>
#include <module/prv.h>
#include <module/stdcmd.h>
#include <module/syscall.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NILCAP		((capability *)NULL)
#define TICKSPERSEC	1000	/* Amoeba's timer units (mu_trylock, sys_milli) */

#ifndef CAPZERO
#define CAPZERO(cap)	((void)memset((cap), 0, (size_t)CAPSIZE))
#endif
#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#endif

#endif /* AMTOOLS_H */
