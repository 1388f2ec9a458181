# rpc - Amoeba RPC over FLIP
PORTABLE_SRCS += rpc/rpc_wire.c rpc/rpc_cache.c rpc/rpc_core.c \
		 rpc/rpc_client.c rpc/rpc_server.c
HOST_TESTS += tests/host/rpc/test_rpc.c
