/*
 * amunix.h - what libamunix adds to Amoeba's C API on Linux.
 *
 * An Amoeba program built with scripts/amunix-cc is a FLIP node of its
 * own: the protocol stack is linked into the process (README.md, "Host
 * side").  It reaches other nodes through the networks named in $VX_NET
 * (a comma-separated list of vde:SOCKET-DIR, tap:IFNAME and unix:DIR, the
 * last between processes of one machine, host/net_unix.c), attached on
 * its first RPC call, or through amunix_attach.  Without a network it
 * still talks to servers in the same process.
 */
#ifndef AMUNIX_H
#define AMUNIX_H

/*
 * amunix_attach - attach one more network: "vde:/path/to/vde.ctl"
 * (libvdeplug), "tap:NAME" (an existing tap interface) or "unix:DIR".  0, or -1
 * with a message on stderr.
 */
int amunix_attach(const char *spec);

/*
 * amunix_leave / amunix_enter - bracket a long blocking Linux call (read
 * from a terminal, poll, sleep) in an Amoeba thread, so the process's
 * other Amoeba threads run meanwhile: Amoeba threads switch only at
 * Amoeba's blocking calls otherwise.  Between the two, the thread must
 * not call Amoeba functions or touch state shared with other threads.
 */
void amunix_leave(void);
void amunix_enter(void);

#endif /* AMUNIX_H */
