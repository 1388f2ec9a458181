/*
 * flip_iface.c - the FLIP endpoint interface ("FLIP box", spec 2.7):
 * interfaces and registered addresses, unicast/multicast/broadcast
 * sends, the per-destination locate procedure, and upcalls to the
 * layers above (queued while an upcall is already running, so a send
 * made from inside an upcall never recurses into another upcall).
 *
 * Entry points: flip_init(), flip_end(), flip_register(),
 * flip_unregister(), flip_ep_pub(), flip_unicast(), flip_multicast(),
 * flip_broadcast(); for the other FLIP files flip_local_deliver(),
 * flip_ploc_check(), flip_ploc_tick(), flip_iface_fini(), flip_q_*().
 * Caller holds the network lock.
 */
#include <string.h>
#include "flip/flip_impl.h"
#include "flip/flip_port.h"

/* ---- queued messages ---------------------------------------------------- */

struct flip_qmsg *
flip_q_new(const struct flip_hdr *h, const uint8_t *data, uint32_t base,
	   uint32_t end)
{
	struct flip_qmsg *m = flip_port_alloc(sizeof(*m) + (end - base));

	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->h = *h;
	m->base = m->off = base;
	m->end = end;
	if (end > base && data)
		memcpy(m->data, data, end - base);
	return m;
}

/* A queued message that points at the caller's data (FLIP_BORROW). */
struct flip_qmsg *
flip_q_ref(const struct flip_hdr *h, const uint8_t *data, uint32_t base,
	   uint32_t end)
{
	struct flip_qmsg *m = flip_q_new(h, NULL, base, base);

	if (m) {
		m->end = end;
		m->ext = data;
	}
	return m;
}

void
flip_q_append(struct flip_qmsg **head, struct flip_qmsg **tail,
	      struct flip_qmsg *m)
{
	m->next = NULL;
	if (*tail)
		(*tail)->next = m;
	else
		*head = m;
	*tail = m;
}

void
flip_q_freeall(struct flip_qmsg **head, struct flip_qmsg **tail)
{
	struct flip_qmsg *m, *n;

	for (m = *head; m; m = n) {
		n = m->next;
		flip_port_free(m);
	}
	*head = *tail = NULL;
}

/* ---- upcalls ------------------------------------------------------------ */

static void
flip_upcall(struct flip_switch *sw, int ifno, const struct flip_hdr *h,
	    const uint8_t *data, int kind, int upflags)
{
	struct flip_if *fi = &sw->ifs[ifno];

	if (fi->receive == NULL)
		return;
	if (kind == FLIP_Q_RECEIVE)
		fi->receive(fi->ident, data, &h->fh_dstaddr, &h->fh_srcaddr,
			    h->fh_messid, h->fh_offset, h->fh_length,
			    h->fh_total, upflags);
	else if (fi->notdeliver)
		fi->notdeliver(fi->ident, data, &h->fh_dstaddr, h->fh_messid,
			       h->fh_offset, h->fh_length, h->fh_total,
			       upflags);
}

/* Run one upcall now, or queue it if an upcall is running. */
static void
flip_upcall_or_queue(struct flip_switch *sw, int ifno,
		     const struct flip_hdr *h, const uint8_t *data, int kind,
		     int upflags)
{
	struct flip_qmsg *m;

	if (sw->in_upcall) {
		m = flip_q_new(h, data, 0, h->fh_length);
		if (m == NULL)
			return;
		m->ifno = ifno;
		m->kind = kind;
		m->upflags = upflags;
		flip_q_append(&sw->lq, &sw->lqtail, m);
		return;
	}
	sw->in_upcall = 1;
	flip_upcall(sw, ifno, h, data, kind, upflags);
	while ((m = sw->lq) != NULL) {
		sw->lq = m->next;
		if (sw->lq == NULL)
			sw->lqtail = NULL;
		flip_upcall(sw, m->ifno, &m->h, m->data, m->kind, m->upflags);
		flip_port_free(m);
	}
	sw->in_upcall = 0;
}

/*
 * flip_local_deliver - hand a packet to the interfaces owning its
 * address: receive upcalls go to the destination's endpoints (the null
 * address: to every broadcast endpoint), notdeliver upcalls to the
 * endpoints owning the source.  skip_ifno is left out.
 */
void
flip_local_deliver(struct flip_switch *sw, const struct flip_hdr *h,
		   const uint8_t *data, int kind, int upflags, int skip_ifno)
{
	const flip_adr_t *a = kind == FLIP_Q_RECEIVE ? &h->fh_dstaddr :
			      &h->fh_srcaddr;
	int done[FLIP_NIF] = { 0 };
	int i;

	for (i = 0; i < FLIP_NEP; i++) {
		struct flip_ep *e = &sw->eps[i];

		if (!e->used || e->ifno == skip_ifno || done[e->ifno] ||
		    !flip_adr_eq(&e->pub, a))
			continue;
		done[e->ifno] = 1;
		flip_upcall_or_queue(sw, e->ifno, h, data, kind, upflags);
	}
}

/* ---- interfaces and endpoints ------------------------------------------ */

int
flip_init(struct flip_switch *sw, void *ident, flip_receive_fn receive,
	  flip_notdeliver_fn notdeliver)
{
	int i;

	if (receive == NULL)
		return FLIP_FAIL;
	for (i = 0; i < FLIP_NIF; i++) {
		if (sw->ifs[i].receive == NULL) {
			sw->ifs[i].ident = ident;
			sw->ifs[i].receive = receive;
			sw->ifs[i].notdeliver = notdeliver;
			flip_port_random(&sw->ifs[i].messid, 4);
			return i;
		}
	}
	return FLIP_FAIL;
}

static int
flip_ifno_ok(struct flip_switch *sw, int ifno)
{
	return ifno >= 0 && ifno < FLIP_NIF && sw->ifs[ifno].receive != NULL;
}

static int
flip_ep_ok(struct flip_switch *sw, int ifno, int ep)
{
	return ep >= 0 && ep < FLIP_NEP && sw->eps[ep].used &&
	       sw->eps[ep].ifno == ifno;
}

int
flip_register(struct flip_switch *sw, int ifno, const flip_adr_t *prv)
{
	struct flip_ep *e;
	int i;

	if (!flip_ifno_ok(sw, ifno))
		return FLIP_FAIL;
	for (i = 0; i < FLIP_NEP; i++)
		if (!sw->eps[i].used)
			break;
	if (i == FLIP_NEP)
		return FLIP_FAIL;
	e = &sw->eps[i];
	e->prv = *prv;
	flip_oneway(prv, &e->pub);
	if (!flip_adr_null(&e->pub) &&
	    flip_rt_install(sw, &e->pub, 0, NULL, 0, 1, 1, 1) < 0)
		return FLIP_FAIL;
	e->used = 1;
	e->ifno = ifno;
	return i;
}

void
flip_unregister(struct flip_switch *sw, int ifno, int ep)
{
	flip_adr_t pub;
	int i, r;

	if (!flip_ep_ok(sw, ifno, ep))
		return;
	pub = sw->eps[ep].pub;
	memset(&sw->eps[ep], 0, sizeof(sw->eps[ep]));
	for (i = 0; i < FLIP_NEP; i++)
		if (sw->eps[i].used && flip_adr_eq(&sw->eps[i].pub, &pub))
			return;		/* still registered elsewhere */
	r = flip_rt_find(sw, &pub, 0, NULL);
	if (r >= 0)
		flip_rt_remove(sw, r);
}

void
flip_end(struct flip_switch *sw, int ifno)
{
	int i;

	if (!flip_ifno_ok(sw, ifno))
		return;
	for (i = 0; i < FLIP_NEP; i++)
		if (sw->eps[i].used && sw->eps[i].ifno == ifno)
			flip_unregister(sw, ifno, i);
	for (i = 0; i < FLIP_NPLOC; i++)
		if (sw->ploc[i].used && sw->ploc[i].ifno == ifno) {
			flip_q_freeall(&sw->ploc[i].q, &sw->ploc[i].qtail);
			sw->ploc[i].used = 0;
		}
	memset(&sw->ifs[ifno], 0, sizeof(sw->ifs[ifno]));
}

const flip_adr_t *
flip_ep_pub(struct flip_switch *sw, int ep)
{
	static const flip_adr_t null;

	if (ep < 0 || ep >= FLIP_NEP || !sw->eps[ep].used)
		return &null;
	return &sw->eps[ep].pub;
}

void
flip_iface_fini(struct flip_switch *sw)
{
	int i;

	for (i = 0; i < FLIP_NPLOC; i++)
		flip_q_freeall(&sw->ploc[i].q, &sw->ploc[i].qtail);
	flip_q_freeall(&sw->lq, &sw->lqtail);
}

/* ---- sending ------------------------------------------------------------ */

static void
flip_mkhdr(struct flip_switch *sw, struct flip_hdr *h, int type, int ifno,
	   int ep, const flip_adr_t *dst, uint32_t len, int flags)
{
	memset(h, 0, sizeof(*h));
	h->fh_version = FLIP_VERSION;
	h->fh_type = type;
	h->fh_flags = (flags & FLIP_SECURITY) ? FL_F_SECURITY : 0;
	h->fh_max_hop = sw->max_hops;
	h->fh_dstaddr = *dst;
	h->fh_srcaddr = sw->eps[ep].pub;
	h->fh_messid = sw->ifs[ifno].messid++;
	h->fh_length = h->fh_total = len;
}

/* Send a LOCATE for pending locate p with its current hop count. */
static void
flip_ploc_send(struct flip_switch *sw, struct flip_ploc *p)
{
	struct flip_hdr h;

	flip_mkhdr(sw, &h, FL_T_LOCATE, p->ifno, p->ep, &p->dst, 0, 0);
	h.fh_max_hop = p->hop;
	sw->st.locates_sent++;
	flip_sw_packet(sw, &h, NULL, 0, 0, NULL);
}

static struct flip_ploc *
flip_ploc_get(struct flip_switch *sw, const flip_adr_t *dst, int ifno,
	      int ep, int secure, int inval, int32_t ltime, int need)
{
	struct flip_ploc *p, *fr = NULL;
	int i;

	for (i = 0; i < FLIP_NPLOC; i++) {
		p = &sw->ploc[i];
		if (p->used && flip_adr_eq(&p->dst, dst)) {
			if (need > p->need)
				p->need = need;
			return p;	/* chain behind the running locate */
		}
		if (!p->used && fr == NULL)
			fr = p;
	}
	if (fr == NULL)
		return NULL;
	memset(fr, 0, sizeof(*fr));
	fr->used = 1;
	fr->dst = *dst;
	fr->ifno = ifno;
	fr->ep = ep;
	fr->secure = secure != 0;
	fr->hop = inval ? sw->max_hops + 1 : 1;
	fr->interval = FLIP_LOCTIMEOUT;
	fr->budget = ltime;
	fr->need = need;
	fr->next = flip_port_now_ms() + fr->interval;
	flip_ploc_send(sw, fr);
	return fr;
}

int
flip_unicast(struct flip_switch *sw, int ifno, const void *pkt, uint32_t len,
	     int flags, const flip_adr_t *dst, int ep, int32_t ltime)
{
	int secure = flags & FLIP_SECURITY, unsafe;
	struct flip_ploc *p;
	struct flip_qmsg *m;
	struct flip_hdr h;

	if (!flip_ifno_ok(sw, ifno) || !flip_ep_ok(sw, ifno, ep) ||
	    flip_adr_null(dst) || (len && pkt == NULL))
		return FLIP_FAIL;
	flip_mkhdr(sw, &h, FL_T_UNIDATA, ifno, ep, dst, len, flags);
	sw->ifs[ifno].lastmsg = h.fh_messid;
	if (flags & FLIP_INVAL)
		flip_rt_remove_except(sw, dst, -1);
	else if (flip_rt_best(sw, dst, sw->max_hops, -1, secure, &unsafe) >= 0) {
		sw->borrow = (flags & FLIP_BORROW) != 0;
		flip_sw_packet(sw, &h, pkt, 0, 0, NULL);
		sw->borrow = 0;
		return FLIP_OK;
	}
	if (ltime <= 0)
		return FLIP_TIMEOUT;
	m = flip_q_new(&h, pkt, 0, len);
	if (m == NULL)
		return FLIP_NOPACKET;
	p = flip_ploc_get(sw, dst, ifno, ep, secure, flags & FLIP_INVAL, ltime,
			  0);
	if (p == NULL) {
		flip_port_free(m);
		return FLIP_NOPACKET;
	}
	flip_q_append(&p->q, &p->qtail, m);
	return FLIP_OK;
}

/* Endpoints of dst known (locally and remotely), trusted only if secure. */
static int
flip_mc_known(struct flip_switch *sw, const flip_adr_t *dst, int secure)
{
	int count, tcount, maxhop;

	flip_rt_totals(sw, dst, -1, secure, &count, &tcount, &maxhop);
	return secure ? tcount : count;
}

int
flip_multicast(struct flip_switch *sw, int ifno, const void *pkt,
	       uint32_t len, int flags, const flip_adr_t *dst, int ep, int n,
	       int32_t ltime)
{
	int secure = flags & FLIP_SECURITY;
	struct flip_ploc *p;
	struct flip_qmsg *m;
	struct flip_hdr h;

	if (!flip_ifno_ok(sw, ifno) || !flip_ep_ok(sw, ifno, ep) ||
	    flip_adr_null(dst) || (len && pkt == NULL))
		return FLIP_FAIL;
	flip_mkhdr(sw, &h, FL_T_MULTIDATA, ifno, ep, dst, len, flags);
	sw->ifs[ifno].lastmsg = h.fh_messid;
	if (!(flags & FLIP_SKIP_SRC))
		flip_local_deliver(sw, &h, pkt, FLIP_Q_RECEIVE, 0, ifno);
	if (flags & FLIP_INVAL)
		flip_rt_remove_except(sw, dst, -1);
	else if (flip_mc_known(sw, dst, secure) >= (n > 0 ? n : 1)) {
		flip_sw_packet(sw, &h, pkt, 0, 0, NULL);
		return FLIP_OK;
	}
	if (ltime <= 0)
		return FLIP_TIMEOUT;
	m = flip_q_new(&h, pkt, 0, len);
	if (m == NULL)
		return FLIP_NOPACKET;
	p = flip_ploc_get(sw, dst, ifno, ep, secure, flags & FLIP_INVAL, ltime,
			  n > 0 ? n : 1);
	if (p == NULL) {
		flip_port_free(m);
		return FLIP_NOPACKET;
	}
	flip_q_append(&p->q, &p->qtail, m);
	return FLIP_OK;
}

int
flip_broadcast(struct flip_switch *sw, int ifno, const void *pkt,
	       uint32_t len, int ep, int hopcnt)
{
	static const flip_adr_t null;
	struct flip_hdr h;

	if (!flip_ifno_ok(sw, ifno) || !flip_ep_ok(sw, ifno, ep) ||
	    (len && pkt == NULL))
		return FLIP_FAIL;
	flip_mkhdr(sw, &h, FL_T_MULTIDATA, ifno, ep, &null, len, 0);
	flip_local_deliver(sw, &h, pkt, FLIP_Q_RECEIVE, 0, ifno);
	if (hopcnt > 0) {
		h.fh_max_hop = hopcnt > sw->max_hops ? sw->max_hops : hopcnt;
		flip_sw_packet(sw, &h, pkt, 0, 0, NULL);
	}
	return FLIP_OK;
}

/* Bytes queued for dst (of message messid only, if one is set). */
static uint32_t
flip_q_pending(const struct flip_qmsg *m, const flip_adr_t *dst, int one,
	       uint32_t messid)
{
	uint32_t n = 0;

	for (; m; m = m->next)
		if (flip_adr_eq(&m->h.fh_dstaddr, dst) &&
		    (!one || m->h.fh_messid == messid))
			n += m->end - m->off;
	return n;
}

static uint32_t
flip_pending_any(struct flip_switch *sw, const flip_adr_t *dst, int one,
		 uint32_t messid)
{
	uint32_t n = 0;
	int i;

	for (i = 0; i < FLIP_NPLOC; i++)
		if (sw->ploc[i].used && flip_adr_eq(&sw->ploc[i].dst, dst))
			n += flip_q_pending(sw->ploc[i].q, dst, one, messid);
	for (i = 0; i < FLIP_NFLOC; i++)
		if (sw->floc[i].used)
			n += flip_q_pending(sw->floc[i].q, dst, one, messid);
	return n;
}

uint32_t
flip_msg_pending(struct flip_switch *sw, const flip_adr_t *dst,
		 uint32_t messid)
{
	return flip_pending_any(sw, dst, 1, messid);
}

uint32_t
flip_last_messid(struct flip_switch *sw, int ifno)
{
	return flip_ifno_ok(sw, ifno) ? sw->ifs[ifno].lastmsg : 0;
}

/* Drop the messages of queue *head for dst/messid. */
static void
flip_q_cancel(struct flip_qmsg **head, struct flip_qmsg **tail,
	      const flip_adr_t *dst, uint32_t messid)
{
	struct flip_qmsg **pp = head, *m;

	*tail = NULL;
	while ((m = *pp) != NULL) {
		if (m->h.fh_messid == messid &&
		    flip_adr_eq(&m->h.fh_dstaddr, dst)) {
			*pp = m->next;
			flip_port_free(m);
			continue;
		}
		*tail = m;
		pp = &m->next;
	}
}

void
flip_cancel(struct flip_switch *sw, const flip_adr_t *dst, uint32_t messid)
{
	int i;

	for (i = 0; i < FLIP_NPLOC; i++)
		if (sw->ploc[i].used && flip_adr_eq(&sw->ploc[i].dst, dst))
			flip_q_cancel(&sw->ploc[i].q, &sw->ploc[i].qtail, dst,
				      messid);
	for (i = 0; i < FLIP_NFLOC; i++)
		if (sw->floc[i].used)
			flip_q_cancel(&sw->floc[i].q, &sw->floc[i].qtail, dst,
				      messid);
}

/* ---- locates ------------------------------------------------------------ */

/* Route to p->dst good enough now?  Then send its queue and free it. */
static int
flip_ploc_try(struct flip_switch *sw, struct flip_ploc *p)
{
	struct flip_qmsg *m;
	int unsafe;

	if (flip_rt_best(sw, &p->dst, sw->max_hops, -1, p->secure,
			 &unsafe) < 0) {
		p->unsafe |= unsafe;
		return 0;
	}
	if (p->need && flip_mc_known(sw, &p->dst, p->secure) < p->need)
		return 0;
	p->used = 0;
	while ((m = p->q) != NULL) {
		p->q = m->next;
		flip_sw_packet(sw, &m->h, m->data, 0, 0, NULL);
		flip_port_free(m);
	}
	p->qtail = NULL;
	return 1;
}

void
flip_ploc_check(struct flip_switch *sw, const flip_adr_t *dst)
{
	int i;

	for (i = 0; i < FLIP_NPLOC; i++)
		if (sw->ploc[i].used && flip_adr_eq(&sw->ploc[i].dst, dst))
			flip_ploc_try(sw, &sw->ploc[i]);
}

/* The locate failed: bounce every queued message to its interface. */
static void
flip_ploc_fail(struct flip_switch *sw, struct flip_ploc *p)
{
	struct flip_qmsg *m;
	int unsafe = 0;

	flip_rt_best(sw, &p->dst, sw->max_hops, -1, p->secure, &unsafe);
	unsafe |= p->unsafe;
	p->used = 0;
	while ((m = p->q) != NULL) {
		p->q = m->next;
		flip_upcall_or_queue(sw, p->ifno, &m->h, m->data,
				     FLIP_Q_NOTDELIVER,
				     unsafe ? FLIP_UNTRUSTED : 0);
		flip_port_free(m);
	}
	p->qtail = NULL;
}

void
flip_ploc_tick(struct flip_switch *sw)
{
	uint32_t now = flip_port_now_ms();
	struct flip_ploc *p;
	int i;

	for (i = 0; i < FLIP_NPLOC; i++) {
		p = &sw->ploc[i];
		if (!p->used || flip_ploc_try(sw, p) ||
		    !flip_after(now, p->next))
			continue;
		p->budget -= p->interval;
		if (p->budget <= 0) {
			flip_ploc_fail(sw, p);
			continue;
		}
		if (p->hop > sw->max_hops)
			p->hop = 1;
		else if (p->hop < sw->max_hops)
			p->hop++;
		else
			p->interval *= 2;
		if (p->need > 16 && p->hop > 2 && p->interval < 1000)
			p->interval = 2 * p->interval < 1000 ?
				      2 * p->interval : 1000;
		p->next = now + p->interval;
		flip_ploc_send(sw, p);
	}
}
