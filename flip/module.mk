# flip - FLIP addresses, wire format, switch, endpoints, fragmentation,
# credit flow control (portable: kernel, host library, user library).
PORTABLE_SRCS += flip/flip_oneway.c flip/flip_wire.c flip/flip_route.c \
		 flip/flip_switch.c flip/flip_net.c flip/flip_iface.c
# Host port of flip/flip_port.h: simulated clock, memory, entropy and a
# simulated Ethernet (tests/host/sim).  The host tests are listed here
# because tests/host/*/module.mk is deeper than the Makefile's
# */module.mk */*/module.mk pattern.
HOST_PORT_SRCS += tests/host/sim/sim_port.c tests/host/sim/sim_net.c
HOST_TESTS += tests/host/flip/test_flip.c
