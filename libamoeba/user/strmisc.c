/*
 * strmisc.c - bprintf (module/strmisc.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include <module/strmisc.h>

char *
bprintf(char *begin, char *end, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (begin == NULL || end == NULL) {
		vprintf(fmt, ap);
		va_end(ap);
		return NULL;
	}
	if (begin >= end) {
		va_end(ap);
		return end;
	}
	n = vsnprintf(begin, (size_t)(end - begin), fmt, ap);
	va_end(ap);
	if (n < 0)
		return begin;
	return n < end - begin ? begin + n : end;
}
