# libamoeba/user - user-only library code: system-call stubs, newlib glue,
# POSIX files over Bullet and SOAP (posix_*.c), threads, mutexes,
# semaphores.  crt0.S is built separately (scripts/user.mk) and user.ld
# is the link script of every user program.
LIBAM_SRCS += libamoeba/user/rpc_trap.S libamoeba/user/syscall.c \
	      libamoeba/user/start.c libamoeba/user/libc_glue.c \
	      libamoeba/user/nl_lock.c libamoeba/user/thread.c \
	      libamoeba/user/mutex.c libamoeba/user/semaphore.c \
	      libamoeba/user/getcap.c libamoeba/user/posix_file.c \
	      libamoeba/user/posix_dir.c libamoeba/user/posix_cwd.c
# the kernel directory with the default node, the random server, uniqport
LIBAM_SRCS += libamoeba/user/kdir.c libamoeba/user/rnd.c libamoeba/user/ar.c \
	      libamoeba/user/signals.c libamoeba/user/strmisc.c \
	      libamoeba/user/capcache.c libamoeba/user/group.c \
	      libamoeba/user/posix_time.c
# Amoeba's module/tod.h and module/host.h
LIBAM_SRCS += libamoeba/user/tod.c libamoeba/user/host.c
# the exec library: exec_file (exec.c), module/run.h (run.c, run_owner.c,
# migrate_self in run_migrate.c)
LIBAM_SRCS += libamoeba/user/exec.c libamoeba/user/run.c \
	      libamoeba/user/run_owner.c libamoeba/user/run_migrate.c
# device grants for user-space drivers (module/dev.h)
LIBAM_SRCS += libamoeba/user/dev.c
# local IPC with shared segments (module/lipc.h)
LIBAM_SRCS += libamoeba/user/lipc.c
