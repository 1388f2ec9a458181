/*
 * net_vde.c - a libamunix network on a VDE switch through libvdeplug:
 * the process plugs into the switch as one more station, as a QEMU node
 * does with -netdev vde.  No root, no IP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libvdeplug.h>

#include "host/amunix_impl.h"

static int
vde_link_send(struct amu_link *l, const uint8_t *f, size_t len)
{
	return vde_send(l->conn, f, len, 0) == (ssize_t)len ? 0 : -1;
}

static long
vde_link_recv(struct amu_link *l, uint8_t *f, size_t cap)
{
	ssize_t n = vde_recv(l->conn, f, cap, 0);

	if (n == 0) {			/* the switch went away */
		errno = EPIPE;
		return -1;
	}
	return n;
}

/*
 * The next frame if one waits.  For a switch named by its path (the
 * classic vde plugin: plain datagrams on the data descriptor, which is
 * what its vde_recv reads, ignoring flags) straight from the descriptor.
 */
static long
vde_link_recv_more(struct amu_link *l, uint8_t *f, size_t cap)
{
	ssize_t n = recv(l->fd, f, cap, MSG_DONTWAIT);

	if (n == 0) {
		errno = EPIPE;
		return -1;
	}
	return n;
}

static void
vde_link_close(struct amu_link *l)
{
	vde_close(l->conn);
}

int
amu_vde_open(struct amu_link *l, const char *sock)
{
	struct vde_open_args args = { .port = 0, .group = NULL, .mode = 0700 };
	char url[4096];

	snprintf(url, sizeof(url), "%s", sock);
	l->conn = vde_open(url, "amunix", &args);
	if (l->conn == NULL) {
		fprintf(stderr, "amunix: cannot plug into VDE switch %s: %s\n",
			sock, strerror(errno));
		return -1;
	}
	l->kind = "vde";
	l->fd = vde_datafd(l->conn);
	l->send = vde_link_send;
	l->recv = vde_link_recv;
	if (strstr(sock, "://") == NULL)	/* a plain switch path */
		l->recv_more = vde_link_recv_more;
	l->close = vde_link_close;
	return 0;
}
