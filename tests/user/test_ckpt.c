/*
 * test_ckpt.c - stun and checkpoints on one node (spec 8.6): a child
 * echo server (child.h) blocked in getreq is stunned with this test as
 * its owner; the checkpoint PD must describe its segments as in-core
 * segment capabilities with MAP_AND_DESTROY that answer BS_READ, and its
 * thread as KSTATE + USTATE (+ the VX name) with the frame rewound to
 * the getreq's int instruction.  Replying STD_OK with the PD lets it go
 * on (it answers again: the getreq was made again); rejecting ends it.
 * Without an owner a stun still kills at once.  getinfo returns this
 * process's own capability and PD.
 */
#include <stdio.h>
#include <string.h>

#include "child.h"
#include "../host/check.h"

#include <amoeba/syscall.h>
#include <module/proc.h>
#include <module/prv.h>
#include <module/rnd.h>
#include <server/bullet/bullet.h>

static uint8_t ckpt[PSVR_BUFSZ];

static int
echo(const port *put, const char *msg)
{
	char back[32];
	header h;
	int32 n;

	memset(&h, 0, sizeof(h));
	h.h_port = *put;
	n = rpc_trans(&h, (bufptr)msg, (f_size_t)strlen(msg) + 1, &h,
		      (bufptr)back, sizeof(back));
	return n == (int32)strlen(msg) + 1 && strcmp(back, msg) == 0;
}

/* Stun pcap (owner: our port) and take its checkpoint into ckpt. */
static int32
stun_take(capability *pcap, const port *get, long detail, header *h)
{
	errstat err = pro_stun(pcap, detail);
	int32 n;

	if (err != STD_OK) {
		printf("# pro_stun: %s\n", err_why(err));
		return err;
	}
	memset(h, 0, sizeof(*h));
	h->h_port = *get;
	n = rpc_getreq(h, (bufptr)ckpt, sizeof(ckpt));
	return n;
}

int
main(void)
{
	static struct pd_info pd;
	static uint8_t again[PSVR_BUFSZ];
	char data[CHILD_DATALEN];
	capability pcap, me;
	port get, put, oget, check;
	header h;
	int32 n;
	int ok;

	/* the child's echo port */
	uniqport(&get);
	priv2pub(&get, &put);
	memset(data, 0, sizeof(data));
	memcpy(data + 32, &get, sizeof(port));
	CHECK(child_exec(child_echo_main, data, NULL, 0, 0, NULL, &pcap) ==
	      STD_OK, "an echo child starts");
	CHECK(echo(&put, "one"), "it echoes");

	/* we become its owner */
	uniqport(&oget);
	uniqport(&check);
	priv2pub(&oget, &me.cap_port);
	prv_encode(&me.cap_priv, 0, PRV_ALL_RIGHTS, &check);
	CHECK(pro_setowner(&pcap, &me) == STD_OK, "PS_SETOWNER");

	n = stun_take(&pcap, &oget, 33, &h);
	CHECK(n > 0 && h.h_command == PS_CHECKPOINT && h.h_extra == 1 &&
	      h.h_offset == 33, "PS_STUN: the owner gets PS_CHECKPOINT, "
	      "stunned, detail 33");
	CHECK(n > 0 && pd_get(ckpt, (size_t)n, &pd) == n,
	      "the checkpoint is a whole PD");
	ok = pd.nseg == 4;	/* text, data, buffer, the stack exec made */
	for (int i = 0; i < pd.nseg; i++)
		ok = ok && !NULLPORT(&pd.seg[i].sd_cap.cap_port) &&
		     (pd.seg[i].sd_type & MAP_AND_DESTROY);
	CHECK(ok, "4 segments, each an in-core segment capability with "
	      "MAP_AND_DESTROY");
	CHECK(pd.nthread == 1 &&
	      (pd.thread[0].td_extra & TDX_RUNNING) == TDX_RUNNING &&
	      strcmp(pd.thread[0].name, "exec") == 0,
	      "one thread, KSTATE + USTATE, the process name");
	{
		const uint32_t *u = pd.thread[0].ustate;
		const uint8_t *ip = (const uint8_t *)u[15];

		CHECK((u[13] == VX_INT_RPC_GETREQ || u[13] == VX_INT_GETREQ) &&
		      u[15] >= CHILD_TEXT && u[15] < (uint32_t)etext &&
		      ip[0] == 0xCD && ip[1] == u[13],
		      "its frame is rewound to the getreq's int instruction");
	}
	{
		capability seg = pd.seg[1].sd_cap;	/* the data page */
		uint8_t buf[64];
		header r;
		int32 got;

		memset(&r, 0, sizeof(r));
		r.h_port = seg.cap_port;
		r.h_priv = seg.cap_priv;
		r.h_command = BS_READ;
		r.h_offset = 0;
		r.h_size = sizeof(buf);
		got = rpc_trans(&r, NILBUF, 0, &r, (bufptr)buf, sizeof(buf));
		CHECK(got == (int32)sizeof(buf) && r.h_status == STD_OK &&
		      memcmp(buf + 32, &get, sizeof(port)) == 0,
		      "its data segment answers BS_READ with its contents");
	}
	CHECK(pd_put(&pd, again, sizeof(again)) == n &&
	      memcmp(again, ckpt, (size_t)n) == 0,
	      "pd_put writes the checkpoint back byte for byte");

	/* STD_OK with the PD: it goes on, and listens again */
	h.h_status = STD_OK;
	h.h_size = (bufsize)n;
	rpc_putrep(&h, (bufptr)ckpt, (f_size_t)n);
	CHECK(child_alive(&pcap), "STD_OK with the PD: it lives on");
	CHECK(echo(&put, "two"), "and echoes again (the getreq was made "
	      "again)");

	/* rejected: it ends */
	n = stun_take(&pcap, &oget, 34, &h);
	CHECK(n > 0 && h.h_offset == 34, "a second stun, a second "
	      "checkpoint");
	h.h_status = STD_DENIED;
	h.h_size = 0;
	rpc_putrep(&h, NILBUF, 0);
	CHECK(child_gone(&pcap, 5000), "rejected: it ends");

	/* getinfo: our own PD */
	{
		capability self;
		char info[80];
		int32 len = getinfo(&self, (char *)again, sizeof(again));
		int found = 0;

		CHECK(len > 0 && pd_get(again, (size_t)len, &pd) == len &&
		      prv_number(&self.cap_priv) ==
		      prv_number(&pd.self.cap_priv) &&
		      std_info(&self, info, sizeof(info), NULL) == STD_OK,
		      "getinfo: our process capability and PD");
		for (int i = 0; len > 0 && i < pd.nseg; i++)
			found |= pd.seg[i].sd_addr <= (uint32_t)main &&
				 (uint32_t)main - pd.seg[i].sd_addr <
				 pd.seg[i].sd_len;
		CHECK(found, "getinfo: a segment holds our text");
		const uint8_t *ip = (const uint8_t *)pd.thread[0].ustate[15];
		CHECK(len > 0 && pd.nthread == 1 &&
		      (pd.thread[0].td_extra & TDX_RUNNING) == TDX_RUNNING &&
		      ip[-2] == 0xCD && ip[-1] == VX_INT_NEWSYS,
		      "getinfo: our thread, its frame just after the call");
		CHECK(getinfo(NULL, (char *)again, 10) == STD_OVERFLOW,
		      "getinfo with too small a buffer: STD_OVERFLOW");
	}

	/* no owner: a stun kills */
	CHECK(child_exec(child_echo_main, data, NULL, 0, 0, NULL, &pcap) ==
	      STD_OK && echo(&put, "three"), "a second child echoes");
	CHECK(pro_stun(&pcap, 9) == STD_OK && child_gone(&pcap, 5000),
	      "without an owner a stun ends it");
	return TEST_DONE();
}
