/*
 * sh_edit.c - the line editor's key handling (portable: VX and host).
 *
 * The shell reads the terminal one raw character at a time and feeds
 * each to sh_edit_key, which edits e->buf and echoes through e->out:
 * printable characters insert at the cursor, backspace/DEL erase, ^U
 * kills the line, ^A/^E and the left/right arrows move, up/down browse
 * the history, ^C abandons the line, ^D on an empty line is end of
 * file, CR or LF ends the line.  ANSI arrows are ESC [ A..D.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static void
out(struct sh_edit *e, const char *s, size_t n)
{
	if (n > 0)
		e->out(e->arg, s, n);
}

static void
outc(struct sh_edit *e, char c, int times)
{
	while (times-- > 0)
		out(e, &c, 1);
}

void
sh_edit_init(struct sh_edit *e, void (*fn)(void *, const char *, size_t),
	     void *arg)
{
	memset(e, 0, sizeof(*e));
	e->out = fn;
	e->arg = arg;
}

void
sh_edit_start(struct sh_edit *e)
{
	e->len = e->pos = 0;
	e->esc = 0;
	e->hpos = e->nhist;
	e->buf[0] = '\0';
}

void
sh_edit_addhist(struct sh_edit *e, const char *line)
{
	char *s;

	if (line[0] == '\0' || (e->nhist > 0 &&
				strcmp(e->hist[e->nhist - 1], line) == 0))
		return;
	if ((s = strdup(line)) == NULL)
		return;
	if (e->nhist == SH_HISTMAX) {
		free(e->hist[0]);
		memmove(e->hist, e->hist + 1, (SH_HISTMAX - 1) * sizeof(char *));
		e->nhist--;
	}
	e->hist[e->nhist++] = s;
}

/* Redraw from the cursor to the end (old line was oldlen long) and put
 * the cursor back. */
static void
redraw_tail(struct sh_edit *e, int oldlen)
{
	out(e, e->buf + e->pos, (size_t)(e->len - e->pos));
	outc(e, ' ', oldlen - e->len);
	outc(e, '\b', (oldlen > e->len ? oldlen : e->len) - e->pos);
}

/* Replace the whole line with s. */
static void
set_line(struct sh_edit *e, const char *s)
{
	int oldlen = e->len;

	outc(e, '\b', e->pos);
	e->pos = 0;
	e->len = (int)strlen(s);
	if (e->len > SH_LINEMAX - 1)
		e->len = SH_LINEMAX - 1;
	memmove(e->buf, s, (size_t)e->len);
	e->buf[e->len] = '\0';
	redraw_tail(e, oldlen);
	out(e, e->buf, (size_t)e->len);
	e->pos = e->len;
}

static void
history(struct sh_edit *e, int dir)
{
	int to = e->hpos + dir;

	if (to < 0 || to > e->nhist)
		return;
	e->buf[e->len] = '\0';
	if (e->hpos == e->nhist)
		memcpy(e->saved, e->buf, (size_t)e->len + 1);
	e->hpos = to;
	set_line(e, to == e->nhist ? e->saved : e->hist[to]);
}

static void
move(struct sh_edit *e, int to)
{
	if (to < 0 || to > e->len)
		return;
	if (to < e->pos)
		outc(e, '\b', e->pos - to);
	else
		out(e, e->buf + e->pos, (size_t)(to - e->pos));
	e->pos = to;
}

static int
escape(struct sh_edit *e, int c)
{
	if (e->esc == 1) {
		e->esc = c == '[' || c == 'O' ? 2 : 0;
		return SH_ED_MORE;
	}
	e->esc = 0;
	switch (c) {
	case 'A':
		history(e, -1);
		break;
	case 'B':
		history(e, 1);
		break;
	case 'C':
		move(e, e->pos + 1);
		break;
	case 'D':
		move(e, e->pos - 1);
		break;
	case 'H':
		move(e, 0);
		break;
	case 'F':
		move(e, e->len);
		break;
	}
	return SH_ED_MORE;
}

int
sh_edit_key(struct sh_edit *e, int c)
{
	int oldlen = e->len;

	if (e->esc)
		return escape(e, c);
	switch (c) {
	case '\r':
	case '\n':
		e->buf[e->len] = '\0';
		out(e, "\n", 1);
		return SH_ED_LINE;
	case 0x1b:
		e->esc = 1;
		return SH_ED_MORE;
	case 0x04:			/* ^D */
		return e->len == 0 ? SH_ED_EOF : SH_ED_MORE;
	case 0x03:			/* ^C */
		out(e, "^C\n", 3);
		e->len = e->pos = 0;
		e->buf[0] = '\0';
		return SH_ED_CANCEL;
	case 0x01:			/* ^A */
		move(e, 0);
		return SH_ED_MORE;
	case 0x05:			/* ^E */
		move(e, e->len);
		return SH_ED_MORE;
	case 0x15:			/* ^U */
		set_line(e, "");
		return SH_ED_MORE;
	case 0x7f:
	case '\b':
		if (e->pos == 0)
			return SH_ED_MORE;
		memmove(e->buf + e->pos - 1, e->buf + e->pos,
			(size_t)(e->len - e->pos));
		e->pos--;
		e->len--;
		outc(e, '\b', 1);
		redraw_tail(e, oldlen);
		return SH_ED_MORE;
	}
	if ((c < 0x20 && c != '\t') || e->len >= SH_LINEMAX - 1)
		return SH_ED_MORE;
	memmove(e->buf + e->pos + 1, e->buf + e->pos, (size_t)(e->len - e->pos));
	e->buf[e->pos++] = (char)c;
	e->len++;
	out(e, e->buf + e->pos - 1, 1);
	redraw_tail(e, e->len);
	return SH_ED_MORE;
}
