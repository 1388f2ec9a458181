# tests/kernel - the in-kernel test runner, kernel tests and benchmarks,
# linked only into the test kernel build/vx-test.elf.
KTEST_SRCS += tests/kernel/ktest.c tests/kernel/ktutil.c \
	tests/kernel/uprog.c tests/kernel/kbench.c tests/kernel/test_proc.c \
	tests/kernel/test_sched.c tests/kernel/test_rpc.c \
	tests/kernel/test_net.c tests/kernel/test_storm.c \
	tests/kernel/test_vdisk.c \
	tests/kernel/test_lipc.c
