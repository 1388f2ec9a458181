/*
 * server/systask/systask.h - the kernel sys server: SYS_PRINTBUF returns
 * the kernel log, SYS_KSTAT the kernel statistics as text (scheduler,
 * memory, FLIP and RPC counters, routing table).
 */
#ifndef SERVER_SYSTASK_SYSTASK_H
#define SERVER_SYSTASK_SYSTASK_H

#include <cmdreg.h>

#define SYS_SVR_NAME "sys"
#define SYS_PRINTBUF (SYS_FIRST_COM + 0)
#define SYS_KSTAT (SYS_FIRST_COM + 1)
#define SYS_NETCONTROL (SYS_FIRST_COM + 3)
#define SYS_BOOT (SYS_FIRST_COM + 4)
#define SYS_CHGCAP (SYS_FIRST_COM + 5)

#define SYS_RGT_READ 0x01
#define SYS_RGT_CONTROL 0x02
#define SYS_RGT_BOOT 0x10

#endif /* SERVER_SYSTASK_SYSTASK_H */
