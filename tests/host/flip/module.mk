# tests/host/flip - FLIP on the simulated network.
HOST_TESTS += tests/host/flip/test_flip.c
