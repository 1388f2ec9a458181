/*
 * sh_expand.c - from a raw word to fields (portable: VX and host).
 *
 * One pass over the word removes quotes ('...', "...", \) and expands
 * $NAME, ${NAME}, $?, the script's arguments ($0..$9, ${N}, $#, and $*
 * or $@ as one field) and a leading ~ (to $HOME).  It builds both the
 * literal text and a glob pattern in which every quoted character and
 * every character of a variable's value is escaped with \, so only the
 * word's own unquoted * ? [ glob.  A pattern is matched one path
 * component at a time against directory listings (opendir/readdir: the
 * directory server on VX); the matches come out sorted, and a pattern
 * that matches nothing stays as the word.  No field splitting: a
 * variable's value is always one field.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sh.h"

#define SH_GLOBMAX	4096		/* most matches of one pattern */

struct sbuf {
	char *s;
	size_t len, cap;
	int nomem;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	char *p;

	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		if ((p = realloc(b->s, cap)) == NULL) {
			b->nomem = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

struct word {
	struct sbuf lit;		/* the text, quotes removed */
	struct sbuf pat;		/* the glob pattern */
	int glob;			/* an unquoted * ? [ seen */
};

/* Append c, quoted (from quotes or a value) or not. */
static void
w_add(struct word *w, char c, int quoted)
{
	sb_addc(&w->lit, c);
	if (quoted && (c == '*' || c == '?' || c == '[' || c == '\\' ||
		       c == ']'))
		sb_addc(&w->pat, '\\');
	else if (!quoted && (c == '*' || c == '?' || c == '['))
		w->glob = 1;
	sb_addc(&w->pat, c);
}

static void
w_adds(struct word *w, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		w_add(w, *s, 1);
}

/* A $ expansion at s (just after the $): its value into w; returns the
 * characters used, or -1 for a bad ${...}. */
static int
w_dollar(struct word *w, const char *s, char *err, size_t errlen)
{
	char name[128], num[16];
	size_t n = 0;
	const char *end;

	if (s[0] == '?' || s[0] == '#') {
		snprintf(num, sizeof(num), "%d", s[0] == '?' ? sh_status :
			 sh_nargs > 0 ? sh_nargs - 1 : 0);
		w_adds(w, num);
		return 1;
	}
	if (s[0] >= '0' && s[0] <= '9') {
		w_adds(w, s[0] - '0' < sh_nargs ? sh_args[s[0] - '0'] : NULL);
		return 1;
	}
	if (s[0] == '*' || s[0] == '@') {
		for (int i = 1; i < sh_nargs; i++) {
			if (i > 1)
				w_add(w, ' ', 1);
			w_adds(w, sh_args[i]);
		}
		return 1;
	}
	if (s[0] == '{' && s[1] >= '0' && s[1] <= '9') {
		n = (size_t)strtoul(s + 1, (char **)&end, 10);
		if (*end != '}') {
			snprintf(err, errlen, "bad substitution: %.40s", s - 1);
			return -1;
		}
		w_adds(w, n < (size_t)sh_nargs ? sh_args[n] : NULL);
		return (int)(end - s + 1);
	}
	if (s[0] == '{') {
		end = strchr(s, '}');
		if (end == NULL || !sh_var_valid(s + 1, (size_t)(end - s - 1)) ||
		    (size_t)(end - s - 1) >= sizeof(name)) {
			snprintf(err, errlen, "bad substitution: %.40s", s - 1);
			return -1;
		}
		memcpy(name, s + 1, (size_t)(end - s - 1));
		name[end - s - 1] = '\0';
		w_adds(w, sh_var_get(name));
		return (int)(end - s + 1);
	}
	while (n < sizeof(name) - 1 && sh_var_valid(s, n + 1))
		n++;
	if (n == 0) {
		w_add(w, '$', 1);	/* a lone $ is itself */
		return 0;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	w_adds(w, sh_var_get(name));
	return (int)n;
}

/* The word's quotes removed and variables expanded into *w. */
static int
w_scan(struct word *w, const char *s, char *err, size_t errlen)
{
	int n, dq = 0;

	if (s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		w_adds(w, sh_var_get("HOME") ? sh_var_get("HOME") : "/");
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == '"') {
			dq = !dq;
		} else if (*s == '\'' && !dq) {
			while (*++s != '\'' && *s != '\0')
				w_add(w, *s, 1);
			if (*s == '\0')
				break;
		} else if (*s == '\\') {
			if (s[1] == '\0') {
				w_add(w, '\\', 1);
			} else if (s[1] == '\n') {
				s++;
			} else if (!dq || strchr("$\"\\`", s[1]) != NULL) {
				w_add(w, *++s, 1);
			} else {
				w_add(w, '\\', 1);
			}
		} else if (*s == '$') {
			if ((n = w_dollar(w, s + 1, err, errlen)) < 0)
				return -1;
			s += n;
		} else {
			w_add(w, *s, dq);
		}
	}
	if (w->lit.nomem || w->pat.nomem) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- matching ---------------------------------------------------------- */

/* A bracket expression at p (after '['): whether c is in it; *end gets
 * the character after ']', or NULL when there is no ']'. */
static int
match_class(const char *p, char c, const char **end)
{
	int neg = 0, in = 0;
	char lo, hi;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') {			/* a leading ] is literal */
		in = c == ']';
		p++;
	}
	while (*p != ']') {
		if (*p == '\0') {
			*end = NULL;
			return 0;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		lo = *p++;
		hi = lo;
		if (*p == '-' && p[1] != ']' && p[1] != '\0') {
			p++;
			if (*p == '\\' && p[1] != '\0')
				p++;
			hi = *p++;
		}
		if ((unsigned char)c >= (unsigned char)lo &&
		    (unsigned char)c <= (unsigned char)hi)
			in = 1;
	}
	*end = p + 1;
	return in != neg;
}

int
sh_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL, *end;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s == '\0' && *p == '\0')
			return 1;
		if (*s != '\0' && *p != '\0') {
			if (*p == '?') {
				p++;
				s++;
				continue;
			}
			if (*p == '[') {
				int in = match_class(p + 1, *s, &end);

				if (end != NULL) {
					if (in) {
						p = end;
						s++;
						continue;
					}
					goto backtrack;
				}
				/* no ']': a literal '[' */
			}
			if (*p == '\\' && p[1] != '\0')
				p++;
			if (*p == *s) {
				p++;
				s++;
				continue;
			}
		}
backtrack:
		if (star_p == NULL || *star_s == '\0')
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

/* ---- globbing ----------------------------------------------------------- */

struct glob {
	char **v;
	int n, cap;
	int nomem;
};

static void
g_add(struct glob *g, const char *path)
{
	char *s, **v;

	if (g->nomem || g->n >= SH_GLOBMAX)
		return;
	if (g->n == g->cap) {
		v = realloc(g->v, (size_t)(g->cap * 2 + 16) * sizeof(*v));
		if (v == NULL) {
			g->nomem = 1;
			return;
		}
		g->v = v;
		g->cap = g->cap * 2 + 16;
	}
	if ((s = strdup(path)) == NULL)
		g->nomem = 1;
	else
		g->v[g->n++] = s;
}

static int
has_meta(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '*' || p[i] == '?' || p[i] == '[')
			return 1;
	}
	return 0;
}

/* Component p[0..n) without its escapes, appended to b. */
static void
unescape(struct sbuf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n)
			i++;
		sb_addc(b, p[i]);
	}
}

/* Match the components of pat (after any '/') under the path in
 * b[0..b->len): add every existing path that matches to g. */
static void
glob_walk(struct glob *g, struct sbuf *b, const char *pat)
{
	size_t base = b->len, here, n;
	const char *slash;
	struct stat st;
	struct dirent *de;
	char comp[256];
	DIR *d;

	while (*pat == '/') {
		sb_addc(b, '/');
		pat++;
	}
	here = b->len;
	if (*pat == '\0') {
		if (b->len > 0 && !b->nomem && stat(b->s, &st) == 0)
			g_add(g, b->s);
		goto out;
	}
	slash = strchr(pat, '/');
	n = slash ? (size_t)(slash - pat) : strlen(pat);
	if (!has_meta(pat, n)) {
		unescape(b, pat, n);
		glob_walk(g, b, pat + n);
		goto out;
	}
	if (n >= sizeof(comp))
		goto out;
	memcpy(comp, pat, n);
	comp[n] = '\0';
	if ((d = opendir(b->len > 0 && !b->nomem ? b->s : ".")) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && comp[0] != '.')
			continue;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || !sh_match(comp, de->d_name))
			continue;
		b->len = here;
		sb_add(b, de->d_name, strlen(de->d_name));
		glob_walk(g, b, pat + n);
	}
	closedir(d);
out:
	b->len = base;
	if (b->s != NULL)
		b->s[base] = '\0';
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- fields -------------------------------------------------------------- */

static int
f_add(struct sh_fields *f, char *s)
{
	char **v;

	if (s == NULL)
		return -1;
	if (f->n + 1 >= f->cap) {
		v = realloc(f->v, (size_t)(f->cap * 2 + 8) * sizeof(*v));
		if (v == NULL) {
			free(s);
			return -1;
		}
		f->v = v;
		f->cap = f->cap * 2 + 8;
	}
	f->v[f->n++] = s;
	f->v[f->n] = NULL;
	return 0;
}

void
sh_fields_free(struct sh_fields *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	*f = (struct sh_fields){ 0 };
}

int
sh_expand(const char *raw, struct sh_fields *f, int glob, char *err,
	  size_t errlen)
{
	struct word w = { { 0 }, { 0 }, 0 };
	struct glob g = { 0 };
	struct sbuf b = { 0 };
	int r = 0;

	if (w_scan(&w, raw, err, errlen) < 0) {
		r = -1;
		goto out;
	}
	if (glob && w.glob) {
		sb_add(&b, "", 0);
		glob_walk(&g, &b, w.pat.s);
		if (g.nomem || b.nomem) {
			snprintf(err, errlen, "out of memory");
			r = -1;
			goto out;
		}
		if (g.n > 0) {
			qsort(g.v, (size_t)g.n, sizeof(*g.v), cmp_str);
			for (int i = 0; i < g.n && r == 0; i++) {
				r = f_add(f, g.v[i]);
				g.v[i] = NULL;
			}
			goto out;
		}
	}
	r = f_add(f, strdup(w.lit.s ? w.lit.s : ""));
	if (r < 0)
		snprintf(err, errlen, "out of memory");
out:
	for (int i = 0; i < g.n; i++)
		free(g.v[i]);
	free(g.v);
	free(b.s);
	free(w.lit.s);
	free(w.pat.s);
	return r;
}

char *
sh_expand1(const char *raw, char *err, size_t errlen)
{
	struct word w = { { 0 }, { 0 }, 0 };
	char *s;

	if (w_scan(&w, raw, err, errlen) < 0) {
		free(w.lit.s);
		free(w.pat.s);
		return NULL;
	}
	free(w.pat.s);
	s = w.lit.s ? w.lit.s : strdup("");
	if (s == NULL)
		snprintf(err, errlen, "out of memory");
	return s;
}
