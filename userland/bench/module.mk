# userland/bench - benchmark programs (Amoeba's src/test/performance
# rpc client and server), one folder each; in the test image only.
BENCH_PROGS += userland/bench/rpc_server userland/bench/rpc_client
