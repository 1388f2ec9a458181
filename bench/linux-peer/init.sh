#!/bin/sh
# /init of the linux-peer baseline guests (busybox sh, PID 1).
# Parameters come from the kernel command line (lpb.KEY=VALUE):
#   lpb.role=boot|server|client|ipc|nfsserver|nfsclient   lpb.nic=e1000|virtio
#   lpb.ip=ADDR  lpb.peer=ADDR  lpb.n=ROUNDTRIPS  lpb.warm=WARMUP
#   lpb.msg=BYTES  lpb.count=MESSAGES  lpb.ipc=0|1  lpb.ipcn=ROUNDTRIPS
# Every machine-readable line printed here starts with LPB- / RESULT / INFO / ERROR.
export PATH=/bin:/sbin:/bench
mount -t proc proc /proc
# No /dev/console in the archive (built without root): attach to it now.
[ -e /proc/self/fd/1 ] || { mount -t devtmpfs devtmpfs /dev; exec </dev/console >/dev/console 2>&1; }
# Boot marker: the host times qemu start -> this line on the serial console.
# The marker ends the line, so the guest's own uptime is already out when the
# host sees it (the host stops a boot-only guest at once).
echo "LPB-BOOT uptime_s=$(cut -d' ' -f1 /proc/uptime) LPB-INIT-MARKER"
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t sysfs sysfs /sys

CMDLINE=$(cat /proc/cmdline)
arg() { # arg KEY DEFAULT
    for w in $CMDLINE; do
        case "$w" in lpb.$1=*) echo "${w#*=}"; return ;; esac
    done
    echo "$2"
}
ROLE=$(arg role boot)
halt_now() { sync; poweroff -f; sleep 5; }

[ "$ROLE" = boot ] && halt_now

echo "LPB-INFO kernel=$(uname -r) clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\""

run_ipc() {
    n=$(arg ipcn 10000)
    for mech in pipe unix; do
        for size in 1 8192; do
            ipc_pingpong $mech $size "$n" 1000
        done
    done
    spawn /bench/hello 1000 100
}

if [ "$ROLE" = ipc ]; then
    run_ipc
    echo "LPB-DONE"
    halt_now
fi

NIC=$(arg nic e1000)
case "$NIC" in
    e1000) insmod /lib/modules/e1000.ko ;;
    virtio) for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
                insmod /lib/modules/$m.ko
            done ;;
esac
IP=$(arg ip 10.99.0.1)
PEER=$(arg peer 10.99.0.2)
ip link set lo up
ip addr add "$IP/24" dev eth0
ip link set eth0 up
echo "LPB-NETUP nic=$NIC driver=$(basename "$(readlink /sys/class/net/eth0/device/driver)") ip=$IP uptime_s=$(cut -d' ' -f1 /proc/uptime)"

MSG=$(arg msg 1048576)
nfs_modules() { # the NFS server and client modules, in load order
    for m in $(cat /lib/modules/nfs/order); do insmod /lib/modules/nfs/$m 2>&1 | grep -v "File exists" | sed "s/^/ERROR insmod $m: /"; done
}
netstat_line() { # NIC counters, to tell drops in the guest from drops on the host link
    st=/sys/class/net/eth0/statistics
    echo "LPB-NETSTAT rx_packets=$(cat $st/rx_packets) tx_packets=$(cat $st/tx_packets) rx_dropped=$(cat $st/rx_dropped) rx_missed=$(cat $st/rx_missed_errors) rx_fifo=$(cat $st/rx_fifo_errors) rx_over=$(cat $st/rx_over_errors)"
}
case "$ROLE" in
server)
    udp_pingpong server 7001 &
    tcp_bulk server 7002 "$MSG" &
    wait
    netstat_line
    echo "LPB-DONE"
    ;;
nfsserver)
    # NFSv4 only (no rpcbind): a 1 MiB file in tmpfs, exported read-only
    nfs_modules
    mount -t tmpfs tmpfs /export
    dd if=/dev/urandom of=/export/f bs=1048576 count=1 2>/dev/null
    mount -t nfsd nfsd /proc/fs/nfsd
    mount -t tmpfs tmpfs /var/lib/nfs
    echo "/export 10.99.0.0/24(ro,fsid=0,no_subtree_check,insecure,no_root_squash)" >/etc/exports
    exportfs -ra 2>&1 | sed 's/^/LPB-NFS exportfs: /'
    rpc.mountd -N 2 -N 3 -u 2>&1 | sed 's/^/LPB-NFS mountd: /'
    # by hand, as rpc.nfsd would: version 4 only, a short grace period,
    # a TCP socket on 2049, four threads (no rpcbind is needed for v4)
    echo "-2 -3 +4 +4.1 +4.2" >/proc/fs/nfsd/versions
    echo 10 >/proc/fs/nfsd/nfsv4gracetime
    echo 10 >/proc/fs/nfsd/nfsv4leasetime
    echo "tcp 2049" >/proc/fs/nfsd/portlist 2>&1 | sed 's/^/LPB-NFS portlist: /'
    echo 4 >/proc/fs/nfsd/threads 2>&1 | sed 's/^/LPB-NFS threads: /'
    echo "LPB-NFS-READY versions $(cat /proc/fs/nfsd/versions) threads $(cat /proc/fs/nfsd/threads) ports $(cat /proc/fs/nfsd/portlist | tr '\n' ' ')"
    # serve until the client says it is done (or the host stops us)
    nc -l -p 7009 >/dev/null 2>&1
    echo "LPB-DONE"
    ;;
nfsclient)
    nfs_modules
    ok=0
    for i in $(seq 1 30); do
        if mount -t nfs4 -o addr=$PEER,clientaddr=$IP,vers=4.1,proto=tcp,ro $PEER:/ /mnt 2>/tmp/err; then
            ok=1; break
        fi
        sleep 1
    done
    [ $ok = 1 ] || echo "ERROR nfs mount: $(cat /tmp/err) fs: $(grep nfs /proc/filesystems | tr '\n\t' '  ') dmesg: $(dmesg | tail -4 | tr '\n' ' ')"
    [ $ok = 1 ] && nfs_read /mnt/f "$MSG" "$(arg count 20)" 2
    echo quit | nc "$PEER" 7009 2>/dev/null
    echo "LPB-DONE"
    ;;
client)
    udp_pingpong client "$PEER" 7001 "$(arg n 10000)" "$(arg warm 1000)" 8 180
    tcp_bulk client "$PEER" 7002 "$MSG" "$(arg count 64)" 2 60
    # sender-side TCP counters: retransmissions point at frames dropped on the link
    echo "LPB-TCPSTAT $(awk '/^Tcp:/ { if (!h) { split($0, k); h = 1 } else { split($0, v);
        for (i = 2; i <= NF; i++) if (k[i] ~ /^(OutSegs|RetransSegs)$/) printf "%s=%s ", k[i], v[i] } }' /proc/net/snmp)"
    udp_pingpong quit "$PEER" 7001
    netstat_line
    # let the server guest power off first, so it does not disturb the IPC numbers
    [ "$(arg ipc 0)" = 1 ] && { sleep 1; run_ipc; }
    echo "LPB-DONE"
    ;;
esac
halt_now
