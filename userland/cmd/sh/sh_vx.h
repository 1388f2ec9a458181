/*
 * sh_vx.h - the VX-only parts of the shell: the stream objects it serves
 * to its jobs (sh_stream.c) for pipes and redirections.
 *
 * A stream is a byte buffer behind a capability on the shell's own
 * port, spoken to with the tty protocol (TTQ_READ, TTQ_WRITE), so a
 * program's STDIN/STDOUT/STDERR may name one wherever the program runs.
 * A read waits for data and returns 0 bytes (end of file) once no writer
 * is left; the shell counts writers (st_writer_add/st_writer_done, from
 * the processes' ends) and does not rely on programs closing.  A write
 * after the reader ended (st_reader_done) fails.  Pipes are bounded
 * (a writer waits while SH_PIPEMAX bytes are unread); the other streams
 * grow: files for < are filled by the shell (st_fill), files for > and
 * >> are collected and written by the shell (st_take) when the job ends.
 * Only the main thread creates and frees streams; the server threads
 * and the main thread share the table under one mutex.
 */
#ifndef SH_VX_H
#define SH_VX_H

#include <stddef.h>
#include <amoeba.h>

#define SH_PIPEMAX	(64 * 1024)	/* unread bytes a pipe holds */

int st_init(void);
int st_new(int bounded);
void st_cap(int s, capability *cap);
int st_put(int s, const char *buf, size_t n);
void st_fill(int s, char *data, size_t n);
void st_writer_add(int s);
void st_writer_done(int s);
void st_reader_done(int s);
char *st_take(int s, size_t *n);
void st_free(int s);
int st_isours(const capability *cap);

/* ---- jobs (sh_job.c) --------------------------------------------------- */

struct sh_pipe;
struct sh_andor;

/* A built-in command: argv, and its output and error streams (-1 = the
 * shell's own standard output / error).  Returns the exit status. */
typedef int (*sh_builtin_fn)(char **argv, int out, int err);
sh_builtin_fn sh_builtin(const char *name);	/* sh_main.c; NULL: none */

int sh_run_andor(struct sh_andor *a);	/* sets and returns sh_status */
void sh_jobs_reap(int report);		/* report ended background jobs */
int sh_jobs_wait(int id);		/* wait for job id (0 = all) */
void sh_jobs_list(int out);
void sh_intr_init(void);		/* ^C stops foreground jobs */
extern volatile int sh_intr_pending;	/* a ^C for the line editor */

/* Output of a built-in to stream s, or to fd 1/2 when s < 0. */
void sh_put(int s, int fd, const char *buf, size_t n);
void sh_printf(int s, int fd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

extern int sh_exiting;			/* exit requested: stop running */

#endif /* SH_VX_H */
