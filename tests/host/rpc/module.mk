# tests/host/rpc - RPC on the simulated network (rpc_harness.h).
HOST_TESTS += tests/host/rpc/test_rpc.c
