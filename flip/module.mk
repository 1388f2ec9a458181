# flip - FLIP addresses, wire format, switch, endpoints, fragmentation,
# credit flow control (portable: kernel, host library, user library).
PORTABLE_SRCS += flip/flip_oneway.c flip/flip_wire.c flip/flip_route.c \
		 flip/flip_switch.c flip/flip_net.c flip/flip_iface.c
