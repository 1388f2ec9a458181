# tests/host/cap - capabilities, ports, the one-way function F.
HOST_TESTS += tests/host/cap/test_cap.c
