# tests/fuzz - fuzz targets of the FLIP, RPC and group input paths.  Run e.g.
#   build/fuzz/fuzz_flip -max_total_time=20 tests/fuzz/corpus/flip
FUZZ_TARGETS += tests/fuzz/fuzz_flip.c tests/fuzz/fuzz_rpc.c tests/fuzz/fuzz_grp.c
