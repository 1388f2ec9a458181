KERNEL_SRCS += tests/kernel/uprog.c tests/kernel/test_proc.c
KERNEL_SRCS += tests/kernel/test_sched.c
KERNEL_SRCS += tests/kernel/test_rpc.c
KERNEL_SRCS += tests/kernel/kbench.c
KERNEL_SRCS += tests/kernel/test_net.c
KERNEL_SRCS += tests/kernel/test_storm.c
KERNEL_SRCS += tests/kernel/ktutil.c tests/kernel/test_vdisk.c
