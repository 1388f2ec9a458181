/* vga.h - VGA text console (see vga.c). */
#ifndef DRIVERS_CHAR_VGA_H
#define DRIVERS_CHAR_VGA_H

void vga_console_init(void);

#endif /* DRIVERS_CHAR_VGA_H */
