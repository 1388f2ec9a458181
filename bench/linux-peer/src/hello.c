/* hello.c - the program spawn.c starts: prints one line and exits 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from %s\n", argc > 1 ? argv[1] : argv[0]);
    return 0;
}
