/*
 * cmdline.c - parse the kernel command line (see cmdline.h).
 *
 * Called once at boot before any thread runs; afterwards read-only.
 */
#include <stddef.h>
#include <string.h>

#include "kernel/cmdline.h"

static char raw_line[CMDLINE_MAX];
static char words[CMDLINE_MAX];
static const char *keys[CMDLINE_MAXOPT];
static const char *vals[CMDLINE_MAXOPT];
static int nopt;
static const char *init_line;

static int
memchr_eq(const char *w, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (w[i] == c)
			return 1;
	return 0;
}

/* A loader's leading image name: a path or URL, or a file name ending .elf. */
static int
is_image_name(const char *w, size_t n)
{
	if (memchr_eq(w, n, '='))
		return 0;
	if (memchr_eq(w, n, '/'))
		return 1;
	return n > 4 && strncmp(w + n - 4, ".elf", 4) == 0;
}

void
cmdline_parse(const char *raw)
{
	size_t i = 0, len;
	int first = 1;

	strncpy(raw_line, raw ? raw : "", CMDLINE_MAX - 1);
	strcpy(words, raw_line);
	len = strlen(words);
	nopt = 0;
	init_line = NULL;
	while (i < len) {
		size_t start, n;
		char *eq;

		while (i < len && words[i] == ' ')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && words[i] != ' ')
			i++;
		n = i - start;
		if (first && is_image_name(words + start, n)) {
			first = 0;
			continue;
		}
		first = 0;
		if (strncmp(words + start, "init=", 5) == 0) {
			init_line = raw_line + start + 5;
			break;
		}
		words[i] = 0;
		if (nopt == CMDLINE_MAXOPT)
			break;
		eq = strchr(words + start, '=');
		keys[nopt] = words + start;
		vals[nopt] = "";
		if (eq) {
			*eq = 0;
			vals[nopt] = eq + 1;
		}
		nopt++;
		i++;
	}
}

const char *
cmdline_get(const char *key)
{
	for (int i = nopt - 1; i >= 0; i--)
		if (strcmp(keys[i], key) == 0)
			return vals[i];
	return NULL;
}

long
cmdline_int(const char *key, long def)
{
	const char *v = cmdline_get(key);
	long n = 0;
	int base = 10;

	if (v == NULL || *v == 0)
		return def;
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
	}
	for (; *v; v++) {
		int d;

		if (*v >= '0' && *v <= '9')
			d = *v - '0';
		else if (base == 16 && *v >= 'a' && *v <= 'f')
			d = *v - 'a' + 10;
		else if (base == 16 && *v >= 'A' && *v <= 'F')
			d = *v - 'A' + 10;
		else
			return def;
		n = n * base + d;
	}
	return n;
}

const char *
cmdline_init(void)
{
	return init_line;
}

const char *
cmdline_raw(void)
{
	return raw_line;
}

int
cmdline_split(char *line, const char **argv, int max)
{
	int argc = 0;

	for (char *s = line; *s && argc < max;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			*s++ = 0;
		if (*s == 0)
			break;
		argv[argc++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
	}
	argv[argc] = NULL;
	return argc;
}

const char *
cmdline_node(void)
{
	const char *n = cmdline_get("node");

	return n && *n ? n : "vx";
}
