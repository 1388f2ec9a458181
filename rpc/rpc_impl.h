/*
 * rpc_impl.h - private interfaces between the RPC source files:
 * rpc_cache.c (F cache, port cache, kid table), rpc_core.c (objects,
 * sending, dispatch of FLIP upcalls, tick), rpc_client.c (trans) and
 * rpc_server.c (getreq/putrep).  Caller holds the network lock.
 */
#ifndef RPC_RPC_IMPL_H
#define RPC_RPC_IMPL_H

#include "rpc/rpc.h"
#include "rpc/rpc_wire.h"

/* Offsets inside struct rpc_msg data. */
#define RPC_OFF_AMP	0
#define RPC_OFF_HDR	RPC_AMPHDR_SIZE
#define RPC_OFF_BODY	RPC_MSGHDRS

/* rpc_port_eq - PORTCMP as two word compares (on every local lookup). */
static inline int
rpc_port_eq(const port *a, const port *b)
{
	uint32_t a4, b4;
	uint16_t a2, b2;

	__builtin_memcpy(&a4, a->_portbytes, 4);
	__builtin_memcpy(&b4, b->_portbytes, 4);
	__builtin_memcpy(&a2, a->_portbytes + 4, 2);
	__builtin_memcpy(&b2, b->_portbytes + 4, 2);
	return a4 == b4 && a2 == b2;
}

static inline int
rpc_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* ---- rpc_cache.c -------------------------------------------------------- */
void rpc_f(struct rpc_node *rn, const port *g, port *p);
struct rpc_pcache *rpc_pc_lookup(struct rpc_node *rn, const port *pt);
void rpc_pc_install(struct rpc_node *rn, const port *pt,
		    const flip_adr_t *addr, int idx, int rtt);
void rpc_pc_remove(struct rpc_node *rn, const port *pt);
void rpc_pc_sweep(struct rpc_node *rn);
int rpc_kid_known(struct rpc_node *rn, const uint8_t kid[8]);
int rpc_kid_executable(struct rpc_node *rn, const uint8_t kid[8],
		       uint32_t tid);
void rpc_kid_update(struct rpc_node *rn, const uint8_t kid[8], uint32_t tid);
void rpc_kid_sweep(struct rpc_node *rn);

/* ---- rpc_core.c ---------------------------------------------------------- */
struct rpc_msg *rpc_msg_new(uint32_t len);
void rpc_msg_free(struct rpc_msg **m);
void rpc_msg_normalise(struct rpc_msg *m, int big);
void rpc_complete(struct rpc_call *c, int32_t result);
void rpc_send_ctl(struct rpc_proc *p, const flip_adr_t *to, int type,
		  int flags, uint32_t tid, int dest, int from,
		  const uint8_t *kid, int fflags);
int rpc_send_msg(struct rpc_proc *p, const flip_adr_t *to,
		 struct rpc_msg *m, const struct rpc_amphdr *a, int fflags,
		 int32_t ltime);
/* rpc_listen_index: c's getreq put-port is set: index it (rpc_core.c). */
void rpc_listen_index(struct rpc_call *c);
struct rpc_call *rpc_find_listener(struct rpc_node *rn, const port *pt,
				   struct rpc_proc *only);

/* ---- rpc_client.c -------------------------------------------------------- */
int rpc_cl_input(struct rpc_proc *p, const flip_adr_t *src,
		  const struct rpc_amphdr *a, const uint8_t *data,
		  uint32_t length, uint32_t messid, uint32_t total, int big);
int rpc_cl_frag(struct rpc_proc *p, const flip_adr_t *src,
		const uint8_t *data, uint32_t messid, uint32_t offset,
		uint32_t length);
void rpc_cl_notdeliver(struct rpc_node *rn, const struct rpc_amphdr *a,
		       int flags);
void rpc_cl_tick(struct rpc_call *c, uint32_t now);
void rpc_cl_offer(struct rpc_call *server);
void rpc_cl_reset(struct rpc_call *c);
void rpc_local_handoff(struct rpc_call *cl, struct rpc_call *sv);

/* ---- rpc_server.c -------------------------------------------------------- */
void rpc_sv_locate(struct rpc_node *rn, const flip_adr_t *src,
		   const struct rpc_amphdr *a);
void rpc_sv_request(struct rpc_proc *p, const flip_adr_t *src,
		    const struct rpc_amphdr *a, const uint8_t *data,
		    uint32_t length, uint32_t messid, uint32_t total, int big);
void rpc_sv_input(struct rpc_proc *p, const flip_adr_t *src,
		  const struct rpc_amphdr *a);
int rpc_sv_frag(struct rpc_proc *p, const flip_adr_t *src,
		const uint8_t *data, uint32_t messid, uint32_t offset,
		uint32_t length);
void rpc_sv_notdeliver(struct rpc_node *rn, const struct rpc_amphdr *a);
void rpc_sv_tick(struct rpc_call *c, uint32_t now);
void rpc_sv_reset(struct rpc_call *c);
void rpc_sv_set_idle(struct rpc_call *c);

#endif /* RPC_RPC_IMPL_H */
