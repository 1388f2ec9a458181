# tests/user - test programs run as VX processes (each one prints
# "ok N - what" lines and "N passed, N failed", exit status 0 = all passed).
USER_TESTS += tests/user/libc_test.c tests/user/thread_test.c \
	      tests/user/sysfuzz.c
