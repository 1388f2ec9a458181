/*
 * ctl.h - the controller node's RPC interfaces: the controller server
 * (ctlsvr, userland/servers/ctlsvr) and the serial sensor/valve driver
 * behind it (ctlser, userland/drivers/ctlser).  Included by both and by
 * the clients (userland/cmd/ctl).
 *
 * Controller server (capability rights below):
 *   CTL_READ     READ     reply: the latest reading (struct ctl_reading,
 *                         CTL_READING_SIZE bytes, buf_put_int32 order);
 *                         STD_NOTNOW while the driver is gone or the
 *                         sensor does not answer (a clear error, never a
 *                         hang: every driver call has a time-out)
 *   CTL_VALVE    CONTROL  h_extra = 0 (close) or 1 (open); STD_NOTNOW as
 *                         above, STD_ARGBAD for another value
 *   CTL_BAND     CONTROL  h_offset = low, h_size = high (centi-units):
 *                         the set-points the control program keeps the
 *                         level between (STD_ARGBAD unless 0 <= low <
 *                         high <= 10000)
 *   STD_INFO     any      "tank controller ..."
 *   STD_STATUS   READ     the reading, the band and the driver's state
 *   STD_RESTRICT any      the same capability with fewer rights
 * A capability without the right gets STD_DENIED; a wrong check field
 * STD_CAPBAD.
 *
 * Serial driver (all rights of its own capability):
 *   CTLSER_LINE  request buffer: one line of text (no newline, at most
 *                CTLSER_LINEMAX bytes) sent to the device; reply buffer:
 *                the device's answer line (without its newline).
 *                STD_NOTNOW when no answer comes within CTLSER_WAIT ms.
 *   STD_INFO, STD_STATUS (counters: lines, interrupts, bytes, time-outs).
 */
#ifndef USERLAND_SERVERS_CTLSVR_CTL_H
#define USERLAND_SERVERS_CTLSVR_CTL_H

#include <amoeba.h>
#include <cmdreg.h>
#include <module/buffers.h>

#define CTL_FIRST_COM	(UNREGISTERED_FIRST_COM + 1200)
#define CTL_READ	(CTL_FIRST_COM + 1)
#define CTL_VALVE	(CTL_FIRST_COM + 2)
#define CTL_BAND	(CTL_FIRST_COM + 3)
#define CTLSER_LINE	(CTL_FIRST_COM + 50)

#define CTL_RGT_READ	0x01	/* observe: read, status */
#define CTL_RGT_CONTROL	0x02	/* actuate: valve, band */

#define CTLSER_LINEMAX	80	/* a command or answer line, no newline */
#define CTLSER_WAIT	500	/* ms the driver waits for an answer */

/* One reading; levels in centi-units (0..10000 = 0.00..100.00). */
struct ctl_reading {
	uint32_t seq;		/* sample number, from 1 */
	uint32_t time;		/* the controller node's clock (ms) */
	int32_t level;		/* centi-units */
	int32_t valve;		/* 0 closed, 1 open */
	int32_t low, high;	/* the band (centi-units) */
	uint32_t age;		/* ms since the sample when it was served */
};
#define CTL_READING_SIZE	28	/* on the wire: 7 int32 */
_Static_assert(sizeof(struct ctl_reading) == CTL_READING_SIZE,
	       "struct ctl_reading is 7 int32");

/* Encode r into buf (CTL_READING_SIZE bytes); the end, NULL if short. */
static inline char *
ctl_reading_put(char *buf, char *end, const struct ctl_reading *r)
{
	const int32 v[7] = { (int32)r->seq, (int32)r->time, r->level,
			     r->valve, r->low, r->high, (int32)r->age };

	for (int i = 0; i < 7 && buf != NULL; i++)
		buf = buf_put_int32(buf, end, v[i]);
	return buf;
}

/* Decode a reading from buf; NULL if the buffer is short. */
static inline char *
ctl_reading_get(char *buf, char *end, struct ctl_reading *r)
{
	int32 v[7];

	for (int i = 0; i < 7 && buf != NULL; i++)
		buf = buf_get_int32(buf, end, &v[i]);
	if (buf == NULL)
		return NULL;
	r->seq = (uint32_t)v[0];
	r->time = (uint32_t)v[1];
	r->level = v[2];
	r->valve = v[3];
	r->low = v[4];
	r->high = v[5];
	r->age = (uint32_t)v[6];
	return buf;
}

#endif /* USERLAND_SERVERS_CTLSVR_CTL_H */
