# rpc - Amoeba RPC over FLIP: trans/getreq/putrep state machines, port
# cache, kid table (portable: kernel, host library, user library).
PORTABLE_SRCS += rpc/rpc_wire.c rpc/rpc_cache.c rpc/rpc_core.c \
		 rpc/rpc_client.c rpc/rpc_server.c
