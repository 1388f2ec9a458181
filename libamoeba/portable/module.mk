# libamoeba/portable - capabilities, ports, marshalling, error text and
# request headers (portable: kernel, host library, user library).
PORTABLE_SRCS += libamoeba/portable/des.c libamoeba/portable/one_way.c \
		 libamoeba/portable/prv.c libamoeba/portable/buffers.c \
		 libamoeba/portable/err_why.c libamoeba/portable/header.c
