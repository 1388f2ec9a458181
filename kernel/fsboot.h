/*
 * fsboot.h - the file system at boot (fsboot.c): start the Bullet and
 * SOAP servers when a disk holds a Bullet file system, and find the
 * directory server's root for the capability environment.
 */
#ifndef KERNEL_FSBOOT_H
#define KERNEL_FSBOOT_H

struct cap_env;

/* fsboot_start: start the servers (if a disk has the file system) and
 * wait, bounded, for a directory server anywhere; logs what it found. */
void fsboot_start(void);

/* fsboot_user: run the boot server (/bin/boot from the file server, else
 * from the boot image) as the first user process and wait for it;
 * returns, with a log line, when there is none or it ended. */
void fsboot_user(void);

/* fsboot_capenv: fill ROOT and WORK when known; returns how many (0 or
 * FSBOOT_NCAPENV). */
#define FSBOOT_NCAPENV 2
int fsboot_capenv(struct cap_env *caps);

#endif /* KERNEL_FSBOOT_H */
