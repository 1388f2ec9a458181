/*
 * cmdreg.h - the command-number registry (spec 5).
 *
 * Each server class owns a block of 100 commands starting at its base;
 * its error codes are the negatives of those commands.
 */
#ifndef CMDREG_H
#define CMDREG_H

#define RESERVED_FIRST_COM	1	/* 1..999: reserved (RPC errors) */
#define STD_FIRST_COM		1000	/* standard commands */
#define STD_LAST_COM		1999
#define STD_FIRST_ERR		(-STD_FIRST_COM)
#define STD_LAST_ERR		(-STD_LAST_COM)

#define BULLET_FIRST_COM	2000
#define SP_FIRST_COM		2100	/* directory (SOAP) */
#define DISK_FIRST_COM		2200	/* virtual disk */
#define PS_FIRST_COM		2300	/* kernel process server */
#define TOD_FIRST_COM		2400	/* time of day */
#define SYS_FIRST_COM		2500	/* kernel sys server */
#define RND_FIRST_COM		2600	/* random */
#define DIR_FIRST_COM		2700	/* old directory */
#define SES_FIRST_COM		2800	/* session */
#define ETH_FIRST_COM		2900	/* etherhook */
#define RUN_FIRST_COM		3000	/* run server */
#define VC_FIRST_COM		3100	/* virtual circuit */
#define TIOS_FIRST_COM		3200	/* termios/tty */
#define TAPE_FIRST_COM		3300
#define X_FIRST_COM		3400
#define IOP_FIRST_COM		3500
#define BOOT_FIRST_COM		3600	/* boot server */
#define MMDF_FIRST_COM		3700
#define TCPIP_FIRST_COM		3800
#define SAK_FIRST_COM		3900
#define TTY_FIRST_COM		4000
#define PROFILE_FIRST_COM	4100
#define FIFO_FIRST_COM		4200

#define UNREGISTERED_FIRST_COM	15000	/* free for unregistered servers */
/* VX's own commands for a registered class C: VX_FIRST_COM + (C's base
 * - 2000), e.g. the process server's at VX_FIRST_COM + 300 .. + 399 */
#define VX_FIRST_COM		20000
#define UNREGISTERED_LAST_COM	31000

#endif /* CMDREG_H */
