# userland - native VX programs; each folder is one program whose .c files
# are built with scripts/amcc into build/user/<folder> and the boot image.
USER_PROGS += userland/hello
