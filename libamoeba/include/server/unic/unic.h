/*
 * server/unic/unic.h - the kernel's proxy network for a NIC driven by a
 * user process (`usernic=rtl8139`; kernel/svr/unicsvr.c), and the
 * requests its driver (userland/drivers/rtl8139) makes to it.
 *
 * The driver finds the proxy's capability as UNIC_CAPENV in its
 * capability environment (given by the kernel that starts it; it is
 * listed nowhere else).  The driver makes the requests by the local IPC
 * (module/lipc.h), which the kernel serves in the driver's calling
 * thread; RPC works too.  Frames travel
 * in request and reply bodies as records: a 2-byte little-endian length
 * (ETH_HLEN .. 1514) then the frame, without FCS.
 *
 *   UNIC_HELLO  body: the station address (6 bytes).  The first one makes
 *               the proxy a FLIP network; a restarted driver must give
 *               the same address (else STD_ARGBAD).
 *   UNIC_RX     body: received frames; the proxy hands FLIP's to FLIP.
 *               STD_NOTNOW before UNIC_HELLO.  With room for a reply,
 *               the threads those frames woke get a turn first and the
 *               frames they sent come back in it (as UNIC_TX's reply,
 *               without waiting), so an answer leaves at once.
 *   UNIC_TX     waits up to h_offset ms (at most 5000) for frames FLIP
 *               sent; reply body: the frames, h_size their number.
 */
#ifndef SERVER_UNIC_UNIC_H
#define SERVER_UNIC_UNIC_H

#define UNIC_SVR_NAME "unic"     /* std_info name */
#define UNIC_CAPENV "UNIC"

#define UNIC_HELLO 2801
#define UNIC_RX 2802
#define UNIC_TX 2803

#define UNIC_BATCH (32u * 1024)  /* largest request or reply body */
#define UNIC_WAIT_MAX 5000       /* ms, UNIC_TX */

#endif /* SERVER_UNIC_UNIC_H */
