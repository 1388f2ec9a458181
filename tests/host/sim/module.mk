# tests/host/sim - the host port of flip/flip_port.h: simulated clock,
# memory, entropy, sleep and a simulated Ethernet.
HOST_PORT_SRCS += tests/host/sim/sim_port.c tests/host/sim/sim_net.c
