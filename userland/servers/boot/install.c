/*
 * install.c - put newly built programs into /bin at boot (make run's
 * persistent disk): the host stored each new program in the disk's
 * Bullet file system with `mkfs_bullet -k` and a list of them, whose
 * capability the kernel passes on (`install=CAP` -> boot -i CAP).
 *
 * The list is text, one line per program: "NAME CAP" (CAP: 32 hex
 * digits, the capability's 16 bytes in order, as in build/vx-fs.caps).
 * Each becomes /bin/NAME (replacing the entry there, whose old file is
 * destroyed); a line that does not parse is named and skipped.  The
 * list's file is destroyed at the end, so a second boot with the same
 * option finds nothing to do.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <stderr.h>
#include <module/name.h>
#include <module/stdcmd.h>
#include <server/bullet/bullet.h>

#define LIST_MAX 16384

errstat install_list(const char *hexcap);

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* 32 hex digits (then the end of s) to a capability. */
static int
parse_cap(const char *s, capability *cap)
{
	uint8_t *b = (uint8_t *)cap;

	for (int i = 0; i < 16; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]))
			return -1;
		b[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	}
	return s[32] == 0 || isspace((unsigned char)s[32]) ? 0 : -1;
}

/* /bin/name = cap; the former file of that name is destroyed. */
static errstat
install_one(const char *name, capability *cap)
{
	char path[64];
	capability old;
	errstat err;
	int had;

	snprintf(path, sizeof(path), "/bin/%s", name);
	had = name_lookup(path, &old) == STD_OK;
	err = had ? name_replace(path, cap) : name_append(path, cap);
	if (err == STD_OK && had && memcmp(&old, cap, sizeof(old)) != 0)
		std_destroy(&old);
	return err;
}

errstat
install_list(const char *hexcap)
{
	capability list, cap;
	char *text, *line, *save, name[40];
	b_fsize got;
	int n = 0, lineno = 0;
	errstat err;

	if (parse_cap(hexcap, &list) < 0)
		return STD_ARGBAD;
	text = malloc(LIST_MAX + 1);
	if (text == NULL)
		return STD_NOMEM;
	err = b_read(&list, 0, text, LIST_MAX, &got);
	if (err != STD_OK) {
		free(text);
		return err;
	}
	text[got] = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char hex[40];

		lineno++;
		if (sscanf(line, "%39s %39s", name, hex) != 2 ||
		    strchr(name, '/') != NULL || parse_cap(hex, &cap) < 0) {
			printf("boot: install list line %d: not NAME CAP\n",
			       lineno);
			continue;
		}
		err = install_one(name, &cap);
		if (err != STD_OK)
			printf("boot: install %s: %s\n", name, err_why(err));
		else
			n++;
	}
	free(text);
	std_destroy(&list);
	printf("boot: installed %d program(s) into /bin\n", n);
	return STD_OK;
}
