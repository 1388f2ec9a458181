/*
 * sys/ioctl.h - empty stand-in for the OCaml runtime's unix.c, which
 * includes it unconditionally.  newlib has no ioctl; without TIOCGWINSZ
 * the runtime reports an unknown terminal size, which is true on VX.
 */
#ifndef VAM_SYS_IOCTL_H
#define VAM_SYS_IOCTL_H
#endif
