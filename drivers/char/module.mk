# drivers/char - serial ports (16550), VGA text, PS/2 keyboard.
KERNEL_SRCS += drivers/char/uart.c drivers/char/vga.c drivers/char/kbd.c
