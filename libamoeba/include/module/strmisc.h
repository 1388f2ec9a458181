/*
 * module/strmisc.h - Amoeba's small string helpers.
 *
 * bprintf(begin, end, fmt, ...) formats into [begin, end), truncating,
 * and returns where the text ends (its NUL, or end when it filled the
 * buffer), so calls chain: p = bprintf(p, end, ...).  With a NULL begin
 * or end it prints to standard output instead and returns NULL.
 */
#ifndef MODULE_STRMISC_H
#define MODULE_STRMISC_H

#include <strings.h>

char *bprintf(char *begin, char *end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MODULE_STRMISC_H */
