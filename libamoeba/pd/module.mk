PORTABLE_SRCS += libamoeba/pd/pd.c
