# libamoeba/pd - process descriptors: marshalling in the Amoeba 5.3 i386
# layout (portable: kernel, mkpd on the host, user programs). The initial
# stack of a new process (buildstack.c, spec 8.4).
PORTABLE_SRCS += libamoeba/pd/pd.c libamoeba/pd/buildstack.c
