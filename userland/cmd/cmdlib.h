/*
 * cmdlib.h - what the file and directory commands (userland/cmd/NAME)
 * share: the program name and the error and usage messages, looking up
 * a path, reading a whole Bullet file, storing a new one, and the
 * default Bullet server.  Every message names the program, the path and
 * the error (err_why); the commands exit 0 on success, 1 on failure.
 *
 * Included by exactly one .c file per program (static inline
 * functions, so a command need not use them all).
 */
#ifndef USERLAND_CMD_CMDLIB_H
#define USERLAND_CMD_CMDLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amoeba.h>
#include <ampolicy.h>
#include <capset.h>
#include <stderr.h>
#include <module/name.h>
#include <module/stdcmd.h>
#include <server/bullet/bs_find.h>
#include <server/bullet/bullet.h>
#include <server/soap/soap.h>

static const char *cmd_prog = "?";	/* argv[0] without its folders */

static inline void
cmd_init(char **argv)
{
	const char *s = argv[0] ? strrchr(argv[0], '/') : NULL;

	cmd_prog = s ? s + 1 : (argv[0] ? argv[0] : "?");
}

/* "usage: PROG synopsis" on stderr; returns the exit status 1. */
static inline int
cmd_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", cmd_prog, synopsis);
	return 1;
}

/* "PROG: what: why" on stderr; returns 1. */
static inline int
cmd_err(const char *what, errstat err)
{
	fprintf(stderr, "%s: %s: %s\n", cmd_prog, what, err_why(err));
	return 1;
}

/* "PROG: what: text" on stderr; returns 1. */
static inline int
cmd_msg(const char *what, const char *text)
{
	fprintf(stderr, "%s: %s: %s\n", cmd_prog, what, text);
	return 1;
}

/* The first character of an object's std_info string ('/' and '%'
 * directories, '-' Bullet files), or the error. */
static inline errstat
cmd_kind(capability *cap, char *kind)
{
	char info[128];
	errstat err;

	*kind = 0;
	err = std_info(cap, info, sizeof(info), NULL);
	if (err == STD_OK || err == STD_OVERFLOW) {
		*kind = info[0];
		return STD_OK;
	}
	return err;
}

static inline int
cmd_isdir(char kind)
{
	return kind == '/' || kind == '%';
}

/* Report a failed read of path's object cap: a directory (the Bullet
 * command is unknown to it) says so, anything else gives err_why. */
static inline int
cmd_readerr(const char *path, capability *cap, errstat err)
{
	char kind;

	if (err == STD_COMBAD && cmd_kind(cap, &kind) == STD_OK &&
	    cmd_isdir(kind))
		return cmd_msg(path, "is a directory");
	return cmd_err(path, err);
}

/* Read the whole Bullet file cap into a malloc'ed *buf. */
static inline errstat
cmd_load(capability *cap, char **buf, b_fsize *len)
{
	b_fsize size, got = 0;
	errstat err;

	*buf = NULL;
	if ((err = b_size(cap, &size)) != STD_OK)
		return err;
	if ((*buf = malloc((size_t)size + 1)) == NULL)
		return STD_NOMEM;
	err = b_read(cap, 0, *buf, size, &got);
	*len = got;
	if (err != STD_OK) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}

/* The Bullet server for new files: $BULLET, DEF_BULLETSVR, or the one
 * answering the default Bullet port. */
static inline errstat
cmd_bullet(capability *svr)
{
	const char *path = getenv("BULLET");

	if (name_lookup((char *)(path ? path : DEF_BULLETSVR), svr) == STD_OK)
		return STD_OK;
	return bullet_default_cap(svr);
}

/*
 * Store buf[0..len) as a new committed Bullet file under path: a new
 * name (name_append) or, with replace, over an existing one
 * (name_replace).  *old (when not NULL) receives the object that was
 * replaced, or stays all zero.
 */
static inline errstat
cmd_store(const char *path, char *buf, b_fsize len, int replace,
	  capability *old)
{
	capability svr, file, prev;
	errstat err;

	memset(&prev, 0, sizeof(prev));
	if ((err = cmd_bullet(&svr)) != STD_OK)
		return err;
	err = b_create(&svr, buf, len, BS_COMMIT | BS_SAFETY, &file);
	if (err != STD_OK)
		return err;
	err = name_append((char *)path, &file);
	if (err == STD_EXISTS && replace &&
	    (err = name_lookup((char *)path, &prev)) == STD_OK)
		err = name_replace((char *)path, &file);
	if (err != STD_OK)
		std_destroy(&file);
	else if (old != NULL)
		*old = prev;
	return err;
}

#endif /* USERLAND_CMD_CMDLIB_H */
