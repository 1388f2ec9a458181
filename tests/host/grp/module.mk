# tests/host/grp - host tests of the group layer on the simulated network.
HOST_TESTS += tests/host/grp/test_grp.c
