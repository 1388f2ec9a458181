# tests/user - test programs run as VX processes (each one prints
# "ok N - what" lines and "N passed, N failed", exit status 0 = all passed).
USER_TESTS += tests/user/libc_test.c tests/user/thread_test.c \
	      tests/user/sysfuzz.c
# segments, priorities, RPC and the Amoeba source-compatibility check
# (with their helpers child.h); benchmarks (bench: lines).
USER_TESTS += tests/user/seg_test.c tests/user/prio_test.c \
	      tests/user/rpc_test.c tests/user/amoeba_compat.c \
	      tests/user/kdir_test.c tests/user/hostile_test.c
USER_BENCH += tests/user/thread_bench.c
USER_PROGS += userland/rpc_server userland/rpc_client
# the Bullet server test (tests/servers/t_bullet.py); the server program
# is built into it (BT_SERVER), so it depends on build/user/bullet.
USER_TESTS += tests/user/test_bullet.c
$(BUILD)/user/test_bullet: $(BUILD)/user/bullet
# the SOAP server test (tests/servers/t_soap.py): both servers are built
# into it.
USER_TESTS += tests/user/test_soap.c
$(BUILD)/user/test_soap: $(BUILD)/user/bullet $(BUILD)/user/soap
