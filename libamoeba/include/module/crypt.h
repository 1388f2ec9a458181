/*
 * module/crypt.h - Amoeba 5.3's header for the one-way function F
 * (one_way, implemented with the capability code in module/prv.h).
 */
#ifndef MODULE_CRYPT_H
#define MODULE_CRYPT_H

#include <module/prv.h>

#endif /* MODULE_CRYPT_H */
