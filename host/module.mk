# host - the Linux side: libamunix (Amoeba's C API for Linux programs:
# the portable FLIP/RPC stack linked into each process through host/port.c,
# VDE and tap networks, Amoeba threads on pthreads, the portable stubs),
# host builds of the commands, host test programs.  See README.md.
#   AMUNIX_SRCS   libamunix's own sources (besides PORTABLE_SRCS)
#   AMUNIX_CMDS   commands built into build/host/bin and build/host/san/bin
#                 (one .c each with main(), linked with AMUNIX_CMDLIB)
#   AMUNIX_TESTS  unit tests against the sanitized libamunix (test_*.c)
#   AMUNIX_TOOLS  test helpers and benchmark programs (one .c each), into
#                 build/host/bin and (sanitized) build/host/san/bin
AMUNIX_SRCS  += host/port.c host/wait.c host/signal.c host/thread.c host/stack.c host/rpc.c \
		host/net_vde.c host/net_tap.c host/net_unix.c \
		host/grp.c host/sys.c \
		libamoeba/user/kdir.c libamoeba/user/exec.c \
		libamoeba/user/run_owner.c libamoeba/user/run.c \
		libamoeba/stubs/capset.c libamoeba/stubs/soap.c \
		libamoeba/stubs/sp_dir.c libamoeba/stubs/name.c \
		libamoeba/bullet/bs_find.c libamoeba/bullet/bs_disk.c \
		host/term.c
AMUNIX_CMDLIB := userland/cmd/cmdutil.c
AMUNIX_CMDS  += userland/cmd/std_info.c userland/cmd/std_status.c \
		userland/cmd/kdir.c host/vax.c \
		$(foreach c,dir cat cp mv put get mkd del chm ax aps kill stun,\
		  userland/cmd/$(c)/$(c).c)
AMUNIX_TESTS += tests/host/amunix/test_amunix.c
AMUNIX_TOOLS += tests/cluster/amecho.c tests/user/test_group.c \
		userland/bench/rpc_client/rpc_client.c \
		userland/bench/rpc_server/rpc_server.c
# linked into the sanitized programs only (see the file)
AMUNIX_SANEXTRA := host/san_dlopen.c
