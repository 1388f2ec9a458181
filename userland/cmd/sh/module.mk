# userland/cmd/sh - the shell (every .c here; sh_parse.c, sh_expand.c,
# sh_vars.c and sh_edit.c are portable and host-tested in tests/host/sh)
# and the small commands it uses besides its built-ins: echo, sleep and wc.
USER_PROGS += userland/cmd/sh userland/cmd/echo userland/cmd/sleep userland/cmd/wc
