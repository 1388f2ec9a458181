# tests/user - test programs run as VX processes (each one prints
# "ok N - what" lines and "N passed, N failed", exit status 0 = all passed).
USER_TESTS += tests/user/test_libc.c tests/user/test_thread.c \
	      tests/user/test_sysfuzz.c
# segments, priorities, RPC and the Amoeba source-compatibility check
# (with their helpers child.h); benchmarks (bench: lines).
USER_TESTS += tests/user/test_seg.c tests/user/test_prio.c \
	      tests/user/test_rpc.c tests/user/test_amoeba_compat.c \
	      tests/user/test_kdir.c tests/user/test_hostile.c \
	      tests/user/test_amoeba_api.c tests/user/test_disk.c \
	      tests/user/test_amoeba_modules.c tests/user/test_stackovf.c \
	      tests/user/test_signals.c tests/user/test_group.c \
	      tests/user/test_soaprep.c
USER_BENCH += tests/user/bench_thread.c tests/user/bench_fs.c \
	      tests/user/bench_exec.c
# the Bullet server test (tests/servers/t_bullet.py); the server program
# is built into it (BT_SERVER), so it depends on build/user/bullet.
USER_TESTS += tests/user/test_bullet.c
$(BUILD)/user/test_bullet: $(BUILD)/user/bullet
# the SOAP server test (tests/servers/t_soap.py): both servers are built
# into it.
USER_TESTS += tests/user/test_soap.c
# power cuts and the file system at boot (t_powercut.py, t_fsboot.py)
USER_TESTS += tests/user/test_powercut.c
$(BUILD)/user/test_soap: $(BUILD)/user/bullet $(BUILD)/user/soap
# POSIX files over Bullet and SOAP (tests/servers/t_cmds.py); the
# servers are built into it (fs_start.h).
USER_TESTS += tests/user/test_posix.c
$(BUILD)/user/test_posix: $(BUILD)/user/bullet $(BUILD)/user/soap
# the exec library on a file-system node (tests/user/t_exec.py)
USER_TESTS += tests/user/test_exec.c
# the boot server's test service and checker (tests/servers/t_boot.py)
USER_TESTS += tests/user/test_bootsvc.c
# the process moved between nodes by tests/cluster/t_migrate.py; stun
# and checkpoints on one node (suite ckpt)
USER_TESTS += tests/user/test_migrate.c tests/user/test_ckpt.c
# device grants for user-space drivers (suite devgrant: COM2 and its IRQ
# left to user space with uartuser=2)
USER_TESTS += tests/user/test_devgrant.c
# signals to a process on another node (tests/user/t_signals_remote.py)
USER_TESTS += tests/user/test_signals_remote.c
# the local IPC with shared segments (suite lipc; its kserver and
# userver halves are run by the in-kernel test lipc_kernel)
USER_TESTS += tests/user/test_lipc.c
# local IPC against local RPC (make bench rows lipc_*, lrpc_*)
USER_BENCH += tests/user/bench_lipc.c
