/*
 * net_tap.c - a libamunix network on a Linux tap interface (a real
 * Ethernet segment through a bridge, e.g. to PC104 boards).  The
 * interface must exist and be up (ip tuntap add NAME mode tap; ip link
 * set NAME up): this never creates one.  Opening it needs CAP_NET_ADMIN
 * or the tap's owner.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/amunix_impl.h"

static int
tap_send(struct amu_link *l, const uint8_t *f, size_t len)
{
	return write(l->fd, f, len) == (ssize_t)len ? 0 : -1;
}

static long
tap_recv(struct amu_link *l, uint8_t *f, size_t cap)
{
	return read(l->fd, f, cap);
}

static void
tap_close(struct amu_link *l)
{
	close(l->fd);
}

int
amu_tap_open(struct amu_link *l, const char *ifname)
{
	struct ifreq ifr;
	int fd;

	if (if_nametoindex(ifname) == 0) {	/* never make a new one */
		fprintf(stderr, "amunix: no tap interface %s (ip tuntap add "
			"%s mode tap)\n", ifname, ifname);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "amunix: /dev/net/tun: %s\n", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
		fprintf(stderr, "amunix: tap %s: %s\n", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	l->kind = "tap";
	l->fd = fd;
	l->send = tap_send;
	l->recv = tap_recv;
	l->close = tap_close;
	return 0;
}
