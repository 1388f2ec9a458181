/* uart.h - 16550 UARTs COM1-COM4 (see uart.c). */
#ifndef DRIVERS_CHAR_UART_H
#define DRIVERS_CHAR_UART_H

#include <stdbool.h>
#include <stdint.h>

struct tty;

void uart_console_init(uint32_t baud);
/* uart_start: interrupt-driven I/O on COM1 and every other port found. */
void uart_start(void);
/* uart_tty: the terminal of port unit (1..3 = COM2..COM4), or NULL. */
struct tty *uart_tty(int unit);
/* uart_owns_port: is this I/O port one of a port the kernel drives? */
bool uart_owns_port(uint32_t port);

#endif /* DRIVERS_CHAR_UART_H */
