/* conin.h - console input (see conin.c). */
#ifndef KERNEL_INCLUDE_CONIN_H
#define KERNEL_INCLUDE_CONIN_H

#include <stdbool.h>

/* conin_put: a received character (interrupt context). */
void conin_put(char c);
int conin_getc(bool nowait);
int conin_readline(char *buf, int len);

#endif /* KERNEL_INCLUDE_CONIN_H */
