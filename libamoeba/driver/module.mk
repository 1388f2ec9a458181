# libamoeba/driver - the driver library of user-space drivers
# (module/driver.h): grants by name, the interrupt thread, the request loop.
LIBAM_SRCS += libamoeba/driver/driver.c
