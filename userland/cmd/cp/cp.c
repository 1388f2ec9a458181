/*
 * cp - copy files (Amoeba's cp).
 *
 *   cp [-b server] [-w window] file1 file2
 *   cp [-b server] [-w window] file ... directory
 *
 * The source, a Bullet file, is read whole and stored as a new
 * committed file on the default Bullet server (-b: the Bullet server
 * named by the path server, as $BULLET) under the target name; an
 * existing target is replaced (sp_replace) and, when it was a Bullet
 * file, destroyed.  A file cannot be copied to itself.
 *
 * -w window reads the source with window requests outstanding: window
 * threads (the main one and window - 1 more), each with its own
 * transaction, take the next CP_CHUNK bytes in turn, so a link's delay
 * is paid once per window of chunks instead of once per chunk (the
 * Ship Model's windowed transport, seed 002 5.3).  Without -w the file
 * comes in transactions as large as the server gives (b_read).
 */
#include <unistd.h>

#include <semaphore.h>
#include <thread.h>
#include <module/mutex.h>

#include "../cmdlib.h"

#define CP_CHUNK	8192	/* bytes a windowed request reads */
#define CP_MAXWIN	16	/* largest window */
#define CP_STACK	(16 * 1024)	/* a window thread's stack */

/* The windowed read in progress (one at a time). */
static struct {
	capability *file;	/* the source (set before the threads) */
	char *buf;		/* its data, size bytes */
	b_fsize size;
	mutex lock;		/* protects next and err */
	b_fsize next;		/* offset of the next chunk to read */
	errstat err;		/* the first failure */
	semaphore done;		/* up once by each extra thread at its end */
} cp_win;

/* Read chunks in turn until none is left or one failed. */
static void
cp_reader(char *param, int psize)
{
	b_fsize off, len, got;
	errstat err;

	(void)param;
	for (;;) {
		mu_lock(&cp_win.lock);
		off = cp_win.next;
		len = cp_win.size - off < CP_CHUNK ? cp_win.size - off
						    : CP_CHUNK;
		if (cp_win.err != STD_OK || len <= 0) {
			mu_unlock(&cp_win.lock);
			break;
		}
		cp_win.next += len;
		mu_unlock(&cp_win.lock);
		err = b_read(cp_win.file, off, cp_win.buf + off, len, &got);
		if (err == STD_OK && got != len)
			err = STD_SYSERR;	/* the file is shorter */
		if (err != STD_OK) {
			mu_lock(&cp_win.lock);
			if (cp_win.err == STD_OK)
				cp_win.err = err;
			mu_unlock(&cp_win.lock);
		}
	}
	if (psize != 0)
		sema_up(&cp_win.done);
}

/* Read the whole Bullet file cap into a malloc'ed *buf with window
 * requests of CP_CHUNK outstanding (cmd_load when window is 0). */
static errstat
cp_load(capability *cap, int window, char **buf, b_fsize *len)
{
	b_fsize size;
	errstat err;
	int extra = 0;

	if (window == 0)
		return cmd_load(cap, buf, len);
	if ((err = b_size(cap, &size)) != STD_OK)
		return err;
	if ((*buf = malloc((size_t)size + 1)) == NULL)
		return STD_NOMEM;
	cp_win.file = cap;
	cp_win.buf = *buf;
	cp_win.size = size;
	cp_win.next = 0;
	cp_win.err = STD_OK;
	mu_init(&cp_win.lock);
	sema_init(&cp_win.done, 0);
	while (extra < window - 1 &&
	       thread_newthread(cp_reader, CP_STACK, NULL, 1))
		extra++;
	cp_reader(NULL, 0);
	while (extra-- > 0)
		sema_down(&cp_win.done);
	*len = size;
	if (cp_win.err != STD_OK) {
		free(*buf);
		*buf = NULL;
	}
	return cp_win.err;
}

/* The last component of path (trailing slashes ignored), in buf. */
static const char *
cp_base(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	const char *s;

	while (len > 1 && path[len - 1] == '/')
		len--;
	snprintf(buf, n, "%.*s", (int)len, path);
	s = strrchr(buf, '/');
	return s ? s + 1 : buf;
}

/* Copy the file src to dst, reading with window requests outstanding. */
static int
cp_one(const char *src, const char *dst, int window)
{
	capability from, to, old;
	b_fsize len;
	errstat err;
	char *buf, kind;

	if ((err = name_lookup((char *)src, &from)) != STD_OK)
		return cmd_err(src, err);
	if ((err = cmd_kind(&from, &kind)) != STD_OK)
		return cmd_err(src, err);
	if (kind != '-')
		return cmd_msg(src, "not a file");
	if (name_lookup((char *)dst, &to) == STD_OK &&
	    memcmp(&to, &from, CAPSIZE) == 0)
		return cmd_msg(dst, "cannot copy a file to itself");
	if ((err = cp_load(&from, window, &buf, &len)) != STD_OK)
		return cmd_err(src, err);
	err = cmd_store(dst, buf, len, 1, &old);
	free(buf);
	if (err != STD_OK)
		return cmd_err(dst, err);
	if (cmd_kind(&old, &kind) == STD_OK && kind == '-')
		std_destroy(&old);
	return 0;
}

#define CP_USAGE "[-b server] [-w window] file1 file2\n" \
	"       cp [-b server] [-w window] file ... directory"

int
main(int argc, char **argv)
{
	char base[256], path[1024];
	const char *target;
	capability cap;
	int i, isdir, status = 0;
	char kind = 0, *end;
	int c, window = 0;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "b:w:")) != -1) {
		if (c == 'b') {
			if (name_lookup(optarg, &cap) != STD_OK ||
			    setenv("BULLET", optarg, 1) != 0)
				return cmd_msg(optarg, "no such Bullet server");
			continue;
		}
		if (c == 'w') {
			window = (int)strtol(optarg, &end, 10);
			if (*end == 0 && window >= 1 && window <= CP_MAXWIN)
				continue;
		}
		return cmd_usage(CP_USAGE);
	}
	if (argc - optind < 2)
		return cmd_usage(CP_USAGE);
	target = argv[argc - 1];
	isdir = name_lookup((char *)target, &cap) == STD_OK &&
		cmd_kind(&cap, &kind) == STD_OK && cmd_isdir(kind);
	if (!isdir && argc - optind > 2)
		return cmd_msg(target, "not a directory");
	if (!isdir)
		return cp_one(argv[optind], target, window);
	for (i = optind; i < argc - 1; i++) {
		snprintf(path, sizeof(path), "%s/%s", target,
			 cp_base(argv[i], base, sizeof(base)));
		status |= cp_one(argv[i], path, window);
	}
	return status;
}
