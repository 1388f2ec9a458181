/*
 * fuzz_sh_parse.c - the shell's parser and expander on arbitrary text:
 * sh_parse must accept or refuse with a message, never crash or leak;
 * every word of an accepted program must expand (without globbing)
 * or fail with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct sh_prog p;
	struct sh_fields f = { 0 };
	char err[SH_ERRMAX], *text;

	if (!init) {
		char *env[] = { "HOME=/h", "X=a*b", NULL };

		sh_var_init(env);
		init = 1;
	}
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sh_parse(text, &p, err, sizeof(err)) == 0) {
		for (int i = 0; i < p.nitems; i++)
			for (int j = 0; j < p.items[i].npipes; j++)
				for (int k = 0; k < p.items[i].pipes[j].ncmds; k++) {
					struct sh_cmd *c = &p.items[i].pipes[j].cmds[k];

					if (c->nwords == 0 && c->nredirs == 0)
						abort();
					for (int w = 0; w < c->nwords; w++) {
						if (sh_expand(c->words[w], &f, 0, err,
							      sizeof(err)) < 0 &&
						    err[0] == '\0')
							abort();
					}
					sh_fields_free(&f);
				}
		sh_prog_free(&p);
	} else if (err[0] == '\0' || p.nitems != 0) {
		abort();
	}
	free(text);
	return 0;
}
