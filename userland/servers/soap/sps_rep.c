/*
 * sps_rep.c - the portable part of the replicated SOAP server (rep.c
 * runs it on the group layer; the scheme is in rep.c's head comment):
 *
 *   sps_is_update     which commands change the state (ordered through
 *                     the group) and which are reads (served locally)
 *   sps_upd_encode/decode  an ordered update: the client's header and
 *                     body with the clock and the new secret the
 *                     proposing replica chose, so that every replica
 *                     makes the same change with the same capabilities
 *   sps_apply         one update, at most once per request signature:
 *                     a signature seen before gets the reply it got then
 *                     (the last SPS_NDONE updates are remembered)
 *   sps_snap_encode/install  the whole state (every directory with its
 *                     slot and check, the sequence number and the
 *                     remembered updates) for a replica that catches up
 *   sps_state_hash    a hash of the directories, to compare replicas
 *
 * Update message (little-endian): u32 SPS_UPDMAGIC, u32 time, port
 * random, header { port signature, private priv, u16 command, u32
 * offset, u16 size, u16 extra }, then the request body.
 *
 * Snapshot: u32 SPS_SNAPMAGIC, u32 nslots, u32 seq low, u32 seq high,
 * u32 ndone, ndone x { port sig, u16 cmd, reply header as above with
 * the reply's port first }, oldest first, u32 ndirs, ndirs x { u32
 * slot, port random, u32 length, directory file (sps.h) }, u32 FNV-1a
 * of every byte before it.
 *
 * Single-threaded like the rest of the core: the caller holds its lock.
 */
#include <stdlib.h>
#include <string.h>

#include <stderr.h>
#include <stdcom.h>
#include <module/buffers.h>
#include "sps.h"

#define HDR_WIRE	(PORTSIZE + 10 + 2 + 4 + 2 + 2)

int
sps_is_update(command cmd)
{
	switch (cmd) {
	case SP_CREATE:
	case SP_DISCARD:
	case STD_DESTROY:
	case SP_APPEND:
	case SP_CHMOD:
	case SP_DELETE:
	case SP_REPLACE:
		return 1;
	default:
		return 0;
	}
}

static char *
put_hdr(char *p, char *e, const port *first, const header *h)
{
	p = buf_put_port(p, e, first);
	p = buf_put_priv(p, e, &h->h_priv);
	p = buf_put_uint16(p, e, h->h_command);
	p = buf_put_uint32(p, e, (uint32_t)h->h_offset);
	p = buf_put_uint16(p, e, h->h_size);
	return buf_put_uint16(p, e, h->h_extra);
}

static char *
get_hdr(char *p, char *e, port *first, header *h)
{
	uint32_t off;

	p = buf_get_port(p, e, first);
	p = buf_get_priv(p, e, &h->h_priv);
	p = buf_get_uint16(p, e, &h->h_command);
	p = buf_get_uint32(p, e, &off);
	p = buf_get_uint16(p, e, &h->h_size);
	p = buf_get_uint16(p, e, &h->h_extra);
	h->h_offset = (int32)off;
	return p;
}

errstat
sps_upd_encode(const struct sps_upd *u, char *buf, size_t max, size_t *n)
{
	char *e = buf + max, *p;

	p = buf_put_uint32(buf, e, SPS_UPDMAGIC);
	p = buf_put_uint32(p, e, u->time);
	p = buf_put_port(p, e, &u->random);
	p = put_hdr(p, e, &u->h.h_signature, &u->h);
	if (p == NULL || (size_t)(e - p) < u->len)
		return STD_OVERFLOW;
	if (u->len)
		memcpy(p, u->body, u->len);
	*n = (size_t)(p - buf) + u->len;
	return STD_OK;
}

errstat
sps_upd_decode(char *buf, size_t n, struct sps_upd *u)
{
	char *e = buf + n, *p;
	uint32_t magic;

	memset(u, 0, sizeof(*u));
	p = buf_get_uint32(buf, e, &magic);
	p = buf_get_uint32(p, e, &u->time);
	p = buf_get_port(p, e, &u->random);
	p = get_hdr(p, e, &u->h.h_signature, &u->h);
	if (p == NULL || magic != SPS_UPDMAGIC ||
	    !sps_is_update(u->h.h_command))
		return STD_ARGBAD;
	u->body = p;
	u->len = (size_t)(e - p);
	return STD_OK;
}

/* Was (sig, cmd) applied?  1 and its reply header. */
int
sps_done_find(const struct sps *s, const port *sig, command cmd,
	      header *rep)
{
	uint32_t i, n = s->ndone < SPS_NDONE ? s->ndone : SPS_NDONE;

	if (NULLPORT(sig))
		return 0;
	for (i = 0; i < n; i++)
		if (PORTCMP(&s->done[i].sig, sig) && s->done[i].cmd == cmd) {
			*rep = s->done[i].rep;
			return 1;
		}
	return 0;
}

static void
done_add(struct sps *s, const port *sig, command cmd, const header *rep)
{
	struct sps_done *d = &s->done[s->ndone++ % SPS_NDONE];

	d->sig = *sig;
	d->cmd = cmd;
	d->rep = *rep;
}

/*
 * One update, at most once per signature (a null signature: always).
 * Updates have no reply body, so the remembered header is the whole
 * reply; a body made anyway is dropped.  Returns the reply length.
 */
size_t
sps_apply(struct sps *s, header *h, char *req, size_t reqlen, char *rep,
	  size_t repmax)
{
	port sig = h->h_signature;
	command cmd = h->h_command;

	if (sps_done_find(s, &sig, cmd, h))
		return 0;
	sps_request(s, h, req, reqlen, rep, repmax);
	h->h_size = 0;
	if (!NULLPORT(&sig))
		done_add(s, &sig, cmd, h);
	return 0;
}

/* Grow *buf so that need more bytes fit after *p. */
static int
grow(char **buf, size_t *cap, char **p, size_t need)
{
	size_t used = (size_t)(*p - *buf), ncap = *cap;
	char *nb;

	if (used + need <= *cap)
		return 0;
	while (ncap < used + need)
		ncap *= 2;
	if ((nb = realloc(*buf, ncap)) == NULL)
		return -1;
	*buf = nb;
	*cap = ncap;
	*p = nb + used;
	return 0;
}

/* The directories part; with_meta adds the header and the done list. */
static errstat
snap_build(struct sps *s, int with_meta, char **bufp, size_t *np,
	   uint32_t *ndirs)
{
	size_t cap = 4096, len;
	char *buf = malloc(cap), *p = buf, *dir;
	uint32_t i, nd = 0, ndone;
	size_t cnt;
	errstat err;

	if (buf == NULL)
		return STD_NOMEM;
	ndone = s->ndone < SPS_NDONE ? s->ndone : SPS_NDONE;
	if (with_meta) {
		if (grow(&buf, &cap, &p, 20 + ndone * (8 + HDR_WIRE)))
			goto nomem;
		p = buf_put_uint32(p, buf + cap, SPS_SNAPMAGIC);
		p = buf_put_uint32(p, buf + cap, s->nslots);
		p = buf_put_uint32(p, buf + cap, s->seq[0]);
		p = buf_put_uint32(p, buf + cap, s->seq[1]);
		p = buf_put_uint32(p, buf + cap, ndone);
		for (i = s->ndone - ndone; i != s->ndone; i++) {
			const struct sps_done *d = &s->done[i % SPS_NDONE];

			p = buf_put_port(p, buf + cap, &d->sig);
			p = buf_put_uint16(p, buf + cap, d->cmd);
			p = put_hdr(p, buf + cap, &d->rep.h_port, &d->rep);
		}
	}
	if (grow(&buf, &cap, &p, 4))
		goto nomem;
	cnt = (size_t)(p - buf);	/* ndirs, filled in at the end */
	p += 4;
	for (i = 0; i < s->nslots; i++) {
		struct sps_dir *d;

		if (!s->slots[i].inuse)
			continue;
		if ((d = sps_load(s, i)) == NULL) {
			free(buf);
			return SP_UNAVAIL;
		}
		if ((err = sps_dir_encode(d, &dir, &len)) != STD_OK) {
			free(buf);
			return err;
		}
		if (grow(&buf, &cap, &p, 14 + len + 4)) {
			free(dir);
			goto nomem;
		}
		p = buf_put_uint32(p, buf + cap, i);
		p = buf_put_port(p, buf + cap, &s->slots[i].random);
		p = buf_put_uint32(p, buf + cap, (uint32_t)len);
		memcpy(p, dir, len);
		p += len;
		free(dir);
		nd++;
	}
	buf_put_uint32(buf + cnt, buf + cnt + 4, nd);
	if (grow(&buf, &cap, &p, 4))
		goto nomem;
	p = buf_put_uint32(p, buf + cap, sps_fnv(buf, (size_t)(p - buf)));
	*bufp = buf;
	*np = (size_t)(p - buf);
	if (ndirs != NULL)
		*ndirs = nd;
	return STD_OK;
nomem:
	free(buf);
	return STD_NOMEM;
}

errstat
sps_snap_encode(struct sps *s, char **buf, size_t *n)
{
	return snap_build(s, 1, buf, n, NULL);
}

errstat
sps_state_hash(struct sps *s, uint32_t *hash, uint32_t *ndirs)
{
	char *buf;
	size_t n;
	errstat err = snap_build(s, 0, &buf, &n, ndirs);

	if (err != STD_OK)
		return err;
	*hash = sps_fnv(buf, n);
	free(buf);
	return STD_OK;
}

/* Is slot's present directory already what the snapshot holds? */
static int
slot_same(struct sps *s, uint32_t slot, const port *random,
	  const char *file, size_t len)
{
	struct sps_dir *d;
	char *mine;
	size_t n;
	int same;

	if (!s->slots[slot].inuse ||
	    !PORTCMP(&s->slots[slot].random, random) ||
	    (d = sps_load(s, slot)) == NULL ||
	    sps_dir_encode(d, &mine, &n) != STD_OK)
		return 0;
	same = n == len && memcmp(mine, file, n) == 0;
	free(mine);
	return same;
}

/* Check the snapshot's frame and read its header and done list. */
static char *
snap_meta(struct sps *s, const char *buf, size_t n, struct sps_done *done,
	  uint32_t *ndone, uint32_t seq[2])
{
	char *p = (char *)buf, *e = (char *)buf + n - 4;
	uint32_t magic, ns, sum, i;

	if (n < 24 || buf_get_uint32(e, e + 4, &sum) == NULL ||
	    sum != sps_fnv(buf, n - 4))
		return NULL;
	p = buf_get_uint32(p, e, &magic);
	p = buf_get_uint32(p, e, &ns);
	p = buf_get_uint32(p, e, &seq[0]);
	p = buf_get_uint32(p, e, &seq[1]);
	p = buf_get_uint32(p, e, ndone);
	if (p == NULL || magic != SPS_SNAPMAGIC || ns != s->nslots ||
	    *ndone > SPS_NDONE)
		return NULL;
	for (i = 0; i < *ndone && p != NULL; i++) {
		memset(&done[i], 0, sizeof(done[i]));
		p = buf_get_port(p, e, &done[i].sig);
		p = buf_get_uint16(p, e, &done[i].cmd);
		p = get_hdr(p, e, &done[i].rep.h_port, &done[i].rep);
	}
	return p;
}

/*
 * The directories part of a snapshot, from p: checked only (apply 0:
 * every bound, slot order, slot 0 present, every directory decodes) or
 * made the state (apply 1; each slot that differs is set through the
 * intention of sps_setslot, so a crash half way leaves a mix that the
 * next catch-up replaces again).
 */
static errstat
snap_dirs(struct sps *s, char *p, char *e, int apply)
{
	uint32_t nd, i, slot, len, next = 0;
	struct sps_dir *d;
	port random;
	errstat err;

	if ((p = buf_get_uint32(p, e, &nd)) == NULL || nd == 0)
		return STD_ARGBAD;
	for (i = 0; i < nd; i++) {
		p = buf_get_uint32(p, e, &slot);
		p = buf_get_port(p, e, &random);
		p = buf_get_uint32(p, e, &len);
		if (p == NULL || len > (size_t)(e - p) || slot >= s->nslots ||
		    slot < next || (i == 0 && slot != 0))
			return STD_ARGBAD;
		for (; apply && next < slot; next++)
			if (s->slots[next].inuse &&
			    (err = sps_setslot(s, next, NULL, NULL)) != STD_OK)
				return err;
		next = slot + 1;
		if (!apply || !slot_same(s, slot, &random, p, len)) {
			if ((err = sps_dir_decode(p, len, &d)) != STD_OK)
				return err;
			if (!apply)
				sps_dir_free(d);
			else if ((err = sps_setslot(s, slot, d, &random)) !=
				 STD_OK)
				return err;
		}
		p += len;
	}
	if (p != e)
		return STD_ARGBAD;
	for (; apply && next < s->nslots; next++)
		if (s->slots[next].inuse &&
		    (err = sps_setslot(s, next, NULL, NULL)) != STD_OK)
			return err;
	return STD_OK;
}

/* Replace the whole state by a snapshot (a replica catching up); a
 * snapshot that does not check leaves the state as it was. */
errstat
sps_snap_install(struct sps *s, const char *buf, size_t n)
{
	static struct sps_done done[SPS_NDONE];
	char *p, *e = (char *)buf + n - 4;
	uint32_t ndone, seq[2], i;
	errstat err;

	if ((p = snap_meta(s, buf, n, done, &ndone, seq)) == NULL)
		return STD_ARGBAD;
	if ((err = snap_dirs(s, p, e, 0)) != STD_OK ||
	    (err = snap_dirs(s, p, e, 1)) != STD_OK)
		return err;
	s->seq[0] = seq[0];
	s->seq[1] = seq[1];
	s->ndone = 0;
	for (i = 0; i < ndone; i++)
		done_add(s, &done[i].sig, done[i].cmd, &done[i].rep);
	return STD_OK;
}
