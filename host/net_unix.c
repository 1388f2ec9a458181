/*
 * net_unix.c - a libamunix network between processes of one Linux
 * machine: `unix:DIR`, Ethernet frames as UNIX datagrams, no switch.
 *
 * Each process that attaches binds a datagram socket DIR/MMMMMMMMMMMM
 * (its random MAC address in hex).  A frame to a unicast MAC goes to
 * that socket alone; a broadcast or multicast frame goes to every other
 * socket in DIR.  A socket nobody reads any more (its process died)
 * refuses the datagram and is removed by the sender; a process removes
 * its own at exit.  Host-to-host RPC then costs two system calls per
 * frame instead of a trip through a vde_switch process.  DIR must exist
 * and be writable; nothing leaves the machine.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/amunix_impl.h"

#define UNIX_MAXLINKS	4

struct unix_net {
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path) - 16];
	char self[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct unix_net nets[UNIX_MAXLINKS];
static int nnets;

static void
unix_cleanup(void)
{
	for (int i = 0; i < nnets; i++)
		unlink(nets[i].self);
}

static void
mac_name(const uint8_t *mac, char name[13])
{
	snprintf(name, 13, "%02x%02x%02x%02x%02x%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/* Send to DIR/name; a refused socket (its process is gone) is removed. */
static int
unix_sendto(struct amu_link *l, const struct unix_net *u, const char *name,
	    const uint8_t *f, size_t len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/%s", u->dir, name);
	if (sendto(l->fd, f, len, MSG_DONTWAIT, (struct sockaddr *)&a,
		   sizeof(a)) == (ssize_t)len)
		return 0;
	if (errno == ECONNREFUSED)
		unlink(a.sun_path);
	return -1;
}

static int
unix_link_send(struct amu_link *l, const uint8_t *f, size_t len)
{
	const struct unix_net *u = l->conn;
	char name[13], own[13];
	struct dirent *e;
	DIR *d;

	if (len < 14)
		return -1;
	if (!(f[0] & 1)) {			/* unicast */
		mac_name(f, name);
		return unix_sendto(l, u, name, f, len);
	}
	mac_name(l->mac, own);
	d = opendir(u->dir);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strlen(e->d_name) == 12 && strcmp(e->d_name, own) != 0)
			(void)unix_sendto(l, u, e->d_name, f, len);
	closedir(d);
	return 0;
}

static long
unix_link_recv(struct amu_link *l, uint8_t *f, size_t cap)
{
	ssize_t n;

	do
		n = recv(l->fd, f, cap, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

static long
unix_link_recv_more(struct amu_link *l, uint8_t *f, size_t cap)
{
	return recv(l->fd, f, cap, MSG_DONTWAIT);
}

static void
unix_link_close(struct amu_link *l)
{
	struct unix_net *u = l->conn;

	close(l->fd);
	unlink(u->self);
}

int
amu_unix_open(struct amu_link *l, const char *dir)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct unix_net *u;
	char name[13];
	int fd, buf = 4 << 20;

	if (nnets == UNIX_MAXLINKS || strlen(dir) >= sizeof(u->dir)) {
		fprintf(stderr, "amunix: unix:%s: too many or too long\n", dir);
		return -1;
	}
	u = &nets[nnets];
	snprintf(u->dir, sizeof(u->dir), "%s", dir);
	mac_name(l->mac, name);
	snprintf(u->self, sizeof(u->self), "%s/%s", dir, name);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "amunix: unix:%s: %s\n", dir, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", u->self);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		fprintf(stderr, "amunix: unix:%s: %s\n", dir, strerror(errno));
		close(fd);
		return -1;
	}
	if (nnets++ == 0)
		atexit(unix_cleanup);
	l->kind = "unix";
	l->fd = fd;
	l->conn = u;
	l->send = unix_link_send;
	l->recv = unix_link_recv;
	l->recv_more = unix_link_recv_more;
	l->close = unix_link_close;
	return 0;
}
