# vx.gdb - gdb setup for debugging a VX kernel in QEMU (make debug).
# scripts/debug.sh loads this, then connects with `target remote`.
set pagination off
set confirm off
set disassembly-flavor att
set architecture i386
# Stop where the kernel proper starts and where it gives up.
break kmain
break panic
