/*
 * edu.h - the requests of the edu driver (userland/drivers/edu) on its
 * service capability.
 */
#ifndef USERLAND_DRIVERS_EDU_EDU_H
#define USERLAND_DRIVERS_EDU_EDU_H

#include <cmdreg.h>

#define EDU_FIRST_COM (UNREGISTERED_FIRST_COM + 100)
#define EDU_FACT (EDU_FIRST_COM + 0)  /* h_offset n -> h_offset n! (mod 2^32) */
#define EDU_DMA (EDU_FIRST_COM + 1)   /* h_size bytes (1..2048), h_offset
					 seed -> round trip RAM, device, RAM */
#define EDU_RAISE (EDU_FIRST_COM + 2) /* -> h_offset: microseconds from the
					 raise to the interrupt thread */

#endif /* USERLAND_DRIVERS_EDU_EDU_H */
