# grp - Amoeba group communication over FLIP: sequencer, history, PB/BB
# sends, resilience, liveness and recovery (portable: kernel, host
# library, user library).
PORTABLE_SRCS += grp/grp_wire.c grp/grp_core.c grp/grp_order.c \
		 grp/grp_call.c grp/grp_join.c grp/grp_reset.c
