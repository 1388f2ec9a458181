/* uart.h - 16550 UART driver (see uart.c). */
#ifndef DRIVERS_CHAR_UART_H
#define DRIVERS_CHAR_UART_H

#include <stdbool.h>
#include <stdint.h>

void uart_console_init(uint32_t baud);
void uart_console_input(void);
bool uart_setup(int unit, uint32_t baud);
void uart_putc(int unit, char c);
int uart_getc_nowait(int unit);

#endif /* DRIVERS_CHAR_UART_H */
