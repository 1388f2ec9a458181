# tests/host/pd - host tests of libamoeba/pd (the initial stack)
HOST_TESTS += tests/host/pd/test_buildstack.c
