/* spawn.c - start-to-exit of a small static program: fork, execve, waitpid.
 * The Linux side of VX's "start hello and wait for its exit" rows.
 *   spawn PROGRAM N WARM
 * prints  RESULT spawn_hello n=.. min_us=.. median_us=.. ...
 * The program's output goes to /dev/null so the console does not time it.
 */
#include <fcntl.h>
#include <sys/wait.h>

#include "lpb_common.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: spawn PROGRAM N WARM\n");
        return 2;
    }
    long n = atol(argv[2]), warm = atol(argv[3]);
    uint64_t *v = calloc((size_t)(n > 0 ? n : 1), sizeof *v);
    char *args[] = { argv[1], "hello", NULL };
    char *env[] = { NULL };
    if (v == NULL || n <= 0)
        return 2;
    for (long i = -warm; i < n; i++) {
        uint64_t t0 = lpb_now_ns();
        pid_t p = fork();
        if (p < 0) {
            printf("ERROR fork: %s\n", strerror(errno));
            return 1;
        }
        if (p == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0)
                dup2(fd, 1);
            execve(argv[1], args, env);
            _exit(127);
        }
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("ERROR %s did not exit 0\n", argv[1]);
            return 1;
        }
        if (i >= 0)
            v[i] = lpb_now_ns() - t0;
    }
    lpb_report("spawn_hello", v, (size_t)n, NULL);
    free(v);
    return 0;
}
