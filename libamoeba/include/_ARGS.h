/*
 * _ARGS.h - the prototype macro of Amoeba 5.3's headers, which still
 * served pre-ANSI compilers: _ARGS((int, char *)) is the parameter list.
 * _VOIDSTAR is their name for a generic pointer.
 */
#ifndef _ARGS_H
#define _ARGS_H

#ifndef _ARGS
#define _ARGS(x) x
#endif
#ifndef _VOIDSTAR
#define _VOIDSTAR void *
#endif

#endif /* _ARGS_H */
