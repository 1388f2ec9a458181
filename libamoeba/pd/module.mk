# libamoeba/pd - process descriptors: marshalling in the Amoeba 5.3 i386
# layout (portable: kernel, mkpd on the host, user programs).
PORTABLE_SRCS += libamoeba/pd/pd.c
