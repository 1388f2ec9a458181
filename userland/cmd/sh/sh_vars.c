/*
 * sh_vars.c - the shell's variables (portable: VX and host).
 *
 * One table of NAME, value and an exported flag, filled from the
 * environment at start (those are exported).  sh_var_envp builds the
 * environment of a child from the exported ones.  Only the shell's main
 * thread uses it.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
	char *name;
	char *value;
	int exported;
};

static struct var *vars;		/* sorted by name */
static int nvars, maxvars;
int sh_status;				/* $? */
char **sh_args;				/* $0, $1, ... */
int sh_nargs;

int
sh_var_valid(const char *name, size_t len)
{
	if (len == 0 || !(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') ||
			  (name[0] >= 'a' && name[0] <= 'z')))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!(name[i] == '_' || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

/* The index of name, or -(insertion point) - 1. */
static int
find(const char *name)
{
	int lo = 0, hi = nvars - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(name, vars[mid].name);

		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -lo - 1;
}

const char *
sh_var_get(const char *name)
{
	int i = find(name);

	return i >= 0 ? vars[i].value : NULL;
}

/* Set name to value (NULL: keep the value); export 1 marks it
 * exported, 0 leaves the flag.  Returns 0 or -1 (bad name, memory). */
int
sh_var_set(const char *name, const char *value, int export)
{
	int i = find(name);
	char *v = NULL;
	void *p;

	if (!sh_var_valid(name, strlen(name)))
		return -1;
	if (value != NULL && (v = strdup(value)) == NULL)
		return -1;
	if (i < 0) {
		if (nvars == maxvars) {
			p = realloc(vars, (size_t)(maxvars * 2 + 16) *
					  sizeof(*vars));
			if (p == NULL) {
				free(v);
				return -1;
			}
			vars = p;
			maxvars = maxvars * 2 + 16;
		}
		i = -i - 1;
		memmove(&vars[i + 1], &vars[i],
			(size_t)(nvars - i) * sizeof(*vars));
		nvars++;
		vars[i] = (struct var){ strdup(name), v ? v : strdup(""), 0 };
		if (vars[i].name == NULL || vars[i].value == NULL) {
			sh_var_unset(name);
			return -1;
		}
	} else if (v != NULL) {
		free(vars[i].value);
		vars[i].value = v;
	}
	if (export)
		vars[i].exported = 1;
	return 0;
}

int
sh_var_export(const char *name)
{
	return sh_var_set(name, NULL, 1);
}

void
sh_var_unset(const char *name)
{
	int i = find(name);

	if (i < 0)
		return;
	free(vars[i].name);
	free(vars[i].value);
	memmove(&vars[i], &vars[i + 1], (size_t)(nvars - i - 1) * sizeof(*vars));
	nvars--;
}

void
sh_var_init(char **env)
{
	char name[128];
	const char *eq;

	for (; env != NULL && *env != NULL; env++) {
		eq = strchr(*env, '=');
		if (eq == NULL || (size_t)(eq - *env) >= sizeof(name))
			continue;
		memcpy(name, *env, (size_t)(eq - *env));
		name[eq - *env] = '\0';
		sh_var_set(name, eq + 1, 1);
	}
}

/* The exported variables as NAME=value strings, then extra's (which
 * override); NULL-ended, free with sh_var_freeenvp. */
char **
sh_var_envp(char **extra)
{
	int nextra = 0, n = 0;
	char **envp;
	size_t len;

	while (extra != NULL && extra[nextra] != NULL)
		nextra++;
	if ((envp = calloc((size_t)(nvars + nextra + 1), sizeof(*envp))) == NULL)
		return NULL;
	for (int i = 0; i < nvars; i++) {
		int over = 0;

		if (!vars[i].exported)
			continue;
		len = strlen(vars[i].name);
		for (int j = 0; j < nextra; j++)
			if (strncmp(extra[j], vars[i].name, len) == 0 &&
			    extra[j][len] == '=')
				over = 1;
		if (over)
			continue;
		if ((envp[n] = malloc(len + strlen(vars[i].value) + 2)) == NULL)
			goto fail;
		strcpy(envp[n], vars[i].name);
		envp[n][len] = '=';
		strcpy(envp[n++] + len + 1, vars[i].value);
	}
	for (int j = 0; j < nextra; j++)
		if ((envp[n++] = strdup(extra[j])) == NULL)
			goto fail;
	return envp;
fail:
	sh_var_freeenvp(envp);
	return NULL;
}

void
sh_var_freeenvp(char **envp)
{
	for (int i = 0; envp != NULL && envp[i] != NULL; i++)
		free(envp[i]);
	free(envp);
}

void
sh_var_each(void (*fn)(const char *, const char *, int, void *), void *arg)
{
	for (int i = 0; i < nvars; i++)
		fn(vars[i].name, vars[i].value, vars[i].exported, arg);
}
