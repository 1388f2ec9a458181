/*
 * san_dlopen.c - linked into the sanitized builds only (build/host/san):
 * libvdeplug loads its plugins with RTLD_DEEPBIND, which the sanitizer
 * runtime refuses (it would bypass its interceptors).  This dlopen, found
 * first because it is in the executable, drops the flag and passes the
 * call on to the next dlopen (the sanitizer's).  The plugin then binds
 * to global symbols first, which is harmless for libvdeplug's modules.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

void *
dlopen(const char *file, int mode)
{
	static void *(*next)(const char *, int);

	if (next == NULL)
		next = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	return next(file, mode & ~RTLD_DEEPBIND);
}
