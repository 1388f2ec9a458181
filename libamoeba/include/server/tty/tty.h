/*
 * server/tty/tty.h - the terminal server's commands: the file-like
 * FSQ protocol of Amoeba's tty server.  TTQ_READ: h_size = bytes wanted,
 * reply body = input (a line, edited, unless raw), h_extra = FSE_*;
 * TTQ_TIME_READ: the same with h_offset = timeout in ms; TTQ_WRITE: body
 * = output, reply h_size = bytes written; TTQ_STATUS: text;
 * TTQ_CONTROL: see TTY_CTL_WAITINTR.
 */
#ifndef SERVER_TTY_TTY_H
#define SERVER_TTY_TTY_H

#include <cmdreg.h>

#define TTY_SVR_NAME "tty"
#define FSQ_READ (TTY_FIRST_COM + 52)
#define FSQ_WRITE (TTY_FIRST_COM + 53)
#define FSQ_CLOSE (TTY_FIRST_COM + 55)
#define FSQ_STATUS (TTY_FIRST_COM + 56)
#define FSQ_CONTROL (TTY_FIRST_COM + 57)
#define FSQ_TIME_READ (TTY_FIRST_COM + 60)
#define TTQ_READ FSQ_READ
#define TTQ_WRITE FSQ_WRITE
#define TTQ_CLOSE FSQ_CLOSE
#define TTQ_STATUS FSQ_STATUS
#define TTQ_CONTROL FSQ_CONTROL
#define TTQ_TIME_READ FSQ_TIME_READ

#define FSE_MOREDATA 0
#define FSE_NOMOREDATA 1

/* VX: h_extra of TTQ_READ requests: 1 = raw (one character, no echo). */
#define TTY_READ_RAW 1

/* VX: h_extra of TTQ_CONTROL requests: wait at most h_offset ms (1 ..
 * 10000) for a ^C, which is then not input; reply h_size = 1 if one was
 * typed, else 0.  The shell's interrupt key for its foreground job. */
#define TTY_CTL_WAITINTR 1
/* ... and h_extra = 2: end every such wait now (the job has ended). */
#define TTY_CTL_CANCELINTR 2

#endif /* SERVER_TTY_TTY_H */
