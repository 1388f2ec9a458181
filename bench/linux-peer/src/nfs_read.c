/* nfs_read.c - read one file whole, COUNT times, with O_DIRECT (so every
 * read crosses the link to the NFS server, whose page cache holds the
 * file: the same case as a Bullet read of a cached file), after WARM
 * untimed reads.  Usage: nfs_read FILE SIZE COUNT WARM
 * Prints: RESULT nfs_read_<SIZE>B n=.. min_us=.. median_us=.. ... MBps=.. */
#define _GNU_SOURCE
#include <fcntl.h>

#include "lpb_common.h"

static int read_once(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_DIRECT);
    size_t got = 0;

    if (fd < 0)
        return -1;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    return got == size ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: nfs_read FILE SIZE COUNT WARM\n");
        return 2;
    }
    size_t size = strtoul(argv[2], NULL, 0);
    int count = atoi(argv[3]), warm = atoi(argv[4]);
    char *buf = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);
    uint64_t *v = calloc((size_t)count, sizeof *v), total = 0;
    char name[64], extra[64];

    if (buf == NULL || v == NULL)
        return 1;
    for (int i = 0; i < warm + count; i++) {
        uint64_t t0 = lpb_now_ns();
        if (read_once(argv[1], buf, size) != 0) {
            printf("ERROR nfs_read: %s: %s\n", argv[1], strerror(errno));
            return 1;
        }
        if (i >= warm) {
            v[i - warm] = lpb_now_ns() - t0;
            total += v[i - warm];
        }
    }
    snprintf(name, sizeof name, "nfs_read_%zuB", size);
    snprintf(extra, sizeof extra, "MBps=%.1f",
             (double)size * count * 1e3 / (double)total);
    lpb_report(name, v, (size_t)count, extra);
    return 0;
}
