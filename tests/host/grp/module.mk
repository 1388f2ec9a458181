# tests/host/grp - host tests of the group layer on the simulated network,
# and of the Amoeba user header group.h.
HOST_TESTS += tests/host/grp/test_grp.c tests/host/grp/test_group_h.c
