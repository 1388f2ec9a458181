/* kbd.h - PS/2 keyboard (see kbd.c). */
#ifndef DRIVERS_CHAR_KBD_H
#define DRIVERS_CHAR_KBD_H

#include <stdint.h>

void kbd_init(void);
int kbd_translate(uint8_t scancode);

#endif /* DRIVERS_CHAR_KBD_H */
