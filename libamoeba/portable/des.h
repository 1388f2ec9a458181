/*
 * des.h - FIPS-46 DES pieces shared by the port one-way function F
 * (one_way.c) and FLIP's address one-way function G (flip/flip_oneway.c).
 *
 * Bit arrays hold one bit per byte (0 or 1), which keeps the code a
 * direct transcription of the standard; F and G are not hot paths.
 */
#ifndef LIBAMOEBA_PORTABLE_DES_H
#define LIBAMOEBA_PORTABLE_DES_H

#include <stdint.h>

/* des_sbox_lookup - S-box b (0..7) at the six input bits s[0..5]. */
unsigned des_sbox_lookup(int b, const uint8_t s[6]);

/* des_key_schedule - 16 48-bit subkeys from a 64-entry key bit array. */
void des_key_schedule(const uint8_t key[64], uint8_t sub[16][48]);

/*
 * des_encrypt - standard DES (FIPS-46 bit order: bit 1 is the MSB of
 * byte 0) of one 8-byte block.
 */
void des_encrypt(const uint8_t key[8], const uint8_t in[8], uint8_t out[8]);

#endif /* LIBAMOEBA_PORTABLE_DES_H */
