/*
 * server/boot/boot.h - the boot server's protocol (spec 9): the commands
 * beside std_info and std_status, and where a node's boot server is
 * published.
 *
 * Every node runs its own boot server (the kernel starts /bin/boot), which
 * manages the services of its configuration; it publishes its capability
 * as BOOT_DIR/NODE in the directory server.  Amoeba's class `boot' has
 * its commands from 3600 on; VX implements BOOT_CONF (start or stop one
 * service) and BOOT_CTL '?' (the list of services, as std_status).
 *
 *   BOOT_CONF  request body = service name (NUL-terminated), h_extra = 1
 *              to start (and keep running), 0 to stop (and keep down).
 *              Needs BOOT_RGT_ADMIN.  STD_NOTFOUND: no such service.
 */
#ifndef SERVER_BOOT_BOOT_H
#define SERVER_BOOT_BOOT_H

#define BOOT_DIR	"/boot"		/* BOOT_DIR/NODE: each node's server */

#define BOOT_FIRST_COM	3600
#define BOOT_REINIT	(BOOT_FIRST_COM + 0)	/* not in VX */
#define BOOT_SHUTDOWN	(BOOT_FIRST_COM + 1)	/* not in VX */
#define BOOT_SETIO	(BOOT_FIRST_COM + 2)	/* not in VX */
#define BOOT_CONF	(BOOT_FIRST_COM + 3)
#define BOOT_CTL	(BOOT_FIRST_COM + 4)

#define BOOT_RGT_ADMIN	0x80		/* BOOT_CONF */

#endif /* SERVER_BOOT_BOOT_H */
