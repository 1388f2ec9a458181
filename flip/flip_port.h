/*
 * flip_port.h - the ONLY way flip/, rpc/ and grp/ reach the system.
 *
 * The kernel implements these functions once (kernel/net), the host
 * simulator once more (tests/host/sim/).  The protocol cores never block:
 * they are driven by frames (flip_net_input), API calls and a periodic
 * tick (flip_tick, rpc_tick), and they report back through the network
 * ops a driver registered (struct flip_netops in flip.h) and through
 * flip_port_wakeup().
 *
 * Concurrency contract: the protocol cores are not reentrant.  The system
 * calls every flip_* / rpc_* entry point under one lock (the kernel: the
 * single network lock, or simply from non-preemptible kernel code with
 * the NIC interrupt only queueing frames).  The port functions below are
 * called with that lock held and must not call back into flip/ or rpc/.
 */
/*
 * Besides these functions, a system hosting the protocols does:
 *   - per node: flip_sw_init(), rpc_node_init(); per NIC:
 *     flip_net_attach() with a struct flip_netops whose send() copies or
 *     transmits the frame before returning;
 *   - every received FLIP frame (ethertype 0x8146): flip_net_input();
 *   - about every 10 ms: flip_tick() and rpc_tick();
 *   - per process rpc_proc_init(), per thread rpc_call_init(); the
 *     blocking calls of rpc/rpc.h (rpc_trans_wait ...) then sleep on the
 *     call object with flip_port_sleep until flip_port_wakeup.
 */
#ifndef FLIP_FLIP_PORT_H
#define FLIP_FLIP_PORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * flip_port_now_ms - a monotonic millisecond clock.  Wrap-around after
 * 2^32 ms is tolerated (all comparisons are modular).  Never blocks.
 */
uint32_t flip_port_now_ms(void);

/*
 * flip_port_alloc - n bytes of memory (n may be up to a full RPC message,
 * i.e. a little over 1 MiB), suitably aligned for any object, or NULL
 * when out of memory (the protocols then drop, or fail with
 * RPC_TRYAGAIN).  Must not block or sleep; callable with the lock held.
 */
void *flip_port_alloc(size_t n);

/* flip_port_free - release memory from flip_port_alloc; NULL is a no-op. */
void flip_port_free(void *p);

/*
 * flip_port_random - fill buf with n random bytes (FLIP addresses, kernel
 * id, transaction ids).  Should be unpredictable in the kernel; may be a
 * seeded PRNG on the host.  Never blocks.
 */
void flip_port_random(void *buf, size_t n);

/*
 * flip_port_wakeup - the state of the call object obj (a struct rpc_call
 * or a struct grp_call) changed: its done flag became true.  Wake whoever sleeps on obj.  Must
 * not call back into the protocols (the sleeper re-takes the lock).
 */
void flip_port_wakeup(void *obj);

/*
 * flip_port_sigtrans - the client of the request that call object obj is
 * serving was signalled (Amoeba's SIG_TRANS): raise that signal in the
 * thread that owns obj, or ignore it where there are no signals.  Must
 * not call back into the protocols.
 */
void flip_port_sigtrans(void *obj);

/*
 * flip_port_sleep - block the calling thread until flip_port_wakeup(obj)
 * (returns 0; the caller looks at its condition again), until the thread
 * is being killed (returns -1), or until a signal arrives for it
 * (returns 1: a blocking call then aborts with rpc_abort and goes on
 * waiting).  Called with the network lock held; gives it up while asleep
 * and has it again on return.  Used only by the blocking calls
 * (rpc/rpc_block.h).
 */
int flip_port_sleep(void *obj);

/*
 * flip_port_writable - may the protocols still copy n bytes to buf for
 * the caller after a sleep?  (The kernel checks user memory again;
 * another thread may have unmapped it.)  Never blocks.
 */
int flip_port_writable(void *buf, size_t n);

#endif /* FLIP_FLIP_PORT_H */
