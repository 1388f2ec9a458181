/*
 * posix/string.h - Amoeba 5.3 kept its POSIX headers under posix/, and
 * some programs include them by that path; here it is the C library's
 * <string.h>.
 */
#ifndef POSIX_STRING_H
#define POSIX_STRING_H

#include <string.h>

#endif /* POSIX_STRING_H */
