/*
 * s.h - the OCaml runtime's system configuration for VX: what newlib and
 * libamoeba's POSIX layer (libamoeba/user/posix_*.c, libc_glue.c) give.
 * Written by hand instead of running OCaml's configure for a cross
 * target; scripts/build-ocaml.sh copies it over runtime/caml/s.h.
 * No signals, no dynamic loading of C stubs (every primitive is linked
 * into ocamlrun), no Unix library.
 */
#define OCAML_OS_TYPE "Unix"
#undef POSIX_SIGNALS
#undef BSD_SIGNALS
#undef SUPPORT_DYNAMIC_LINKING
#define HAS_C99_FLOAT_OPS
#undef HAS_WORKING_FMA			/* newlib's fma is x * y + z */
#define HAS_WORKING_ROUND
#undef HAS_GETRUSAGE
#define HAS_TIMES
#undef HAS_SECURE_GETENV
#undef HAS___SECURE_GETENV
#undef HAS_ISSETUGID
#define HAS_STDINT_H
#define HAS_UNISTD
#define HAS_DIRENT
#define HAS_REWINDDIR
#define HAS_GETCWD
#define HAS_GETTIMEOFDAY
#define HAS_STRERROR
#define HAS_FFS
