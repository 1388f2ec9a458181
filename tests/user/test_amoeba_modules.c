/*
 * test_amoeba_modules.c - the small Amoeba 5.3 modules ordinary programs
 * use, through amtools.h: module/rnd.h (rnd_setcap, rnd_defcap),
 * module/proc.h (pro_getdef, pro_getload, pro_getowner, pro_setowner,
 * pro_stun, pro_swapproc), module/ar.h (capabilities as text and back),
 * module/cap.h (cap_cmp, the restricted-capability cache),
 * module/strmisc.h (bprintf), module/tod.h (tod_gettime), module/host.h
 * (host_lookup), module/crypt.h (one_way) and sleep/usleep.  Run as
 * `init=test_amoeba_modules`.
 */
#include "amtools.h"
#include "module/cap.h"
#include "module/crypt.h"
#include "module/host.h"
#include "module/direct.h"
#include "module/kdir.h"
#include "module/proc.h"
#include "module/strmisc.h"
#include "module/rnd.h"
#include "module/tod.h"
#include <time.h>
#include "check.h"
#include "child.h"

static void
check_rnd(void)
{
	capability rnd, bogus;
	char buf[16];

	CHECK(kdir_lookup(NULL, "random", &rnd) == STD_OK, "random server");
	memset(&bogus, 0x33, sizeof(bogus));
	rnd_setcap(&bogus);
	timeout(300);
	CHECK(rnd_getrandom(buf, sizeof(buf)) != STD_OK,
	      "rnd_setcap: a bogus server is used (and fails)");
	rnd_setcap(&rnd);
	CHECK(rnd_getrandom(buf, sizeof(buf)) == STD_OK,
	      "rnd_setcap: the named server is used");
	rnd_setcap(&bogus);
	CHECK(rnd_defcap() == STD_OK && rnd_getrandom(buf, 16) == STD_OK,
	      "rnd_defcap: back to the default server");
	timeout(5000);
}

static void
check_proc(void)
{
	capability ps, child, owner, got;
	char data[CHILD_DATALEN] = { 0 };
	int l2 = 0, first = 0, last = 0;
	long ips = -1, load = -1, mfree = -1;

	CHECK(kdir_lookup(NULL, PROCESS_SVR_NAME, &ps) == STD_OK,
	      "process server");
	CHECK(pro_getdef(&ps, &l2, &first, &last) == STD_OK && l2 == 12 &&
	      last > 0, "pro_getdef: 4 KiB pages, user pages end");
	CHECK(pro_getload(&ps, &ips, &load, &mfree) == STD_OK && mfree > 0 &&
	      load >= 0, "pro_getload: free memory and load");
	uniqport((port *)(data + 32));
	if (!CHECK(child_exec(child_echo_main, data, NULL, 0, 0, NULL,
			      &child) == STD_OK, "a child process"))
		return;
	memset(&owner, 0x21, sizeof(owner));
	CHECK(pro_setowner(&child, &owner) == STD_OK, "pro_setowner");
	CHECK(pro_getowner(&child, &got) == STD_OK &&
	      memcmp(&got, &owner, sizeof(got)) == 0, "pro_getowner");
	CHECK(pro_swapproc(&ps, &child, &child) == STD_COMBAD,
	      "pro_swapproc: not served (STD_COMBAD)");
	CHECK(pro_stun(&child, 7) == STD_OK && child_gone(&child, 5000),
	      "pro_stun ends the process");
	CHECK(pro_stun(&child, 7) == STD_CAPBAD, "pro_stun of a dead one");
}

static void
check_ar(void)
{
	capability c, back;
	port p;
	char text[80], *end;

	memset(&c, 0, sizeof(c));
	c.cap_port._portbytes[0] = 0xA1;
	c.cap_port._portbytes[5] = 0x0F;
	prv_encode(&c.cap_priv, 4660, 0x3C, &c.cap_port);
	strcpy(text, ar_cap(&c));
	CHECK(strncmp(text, "A1:0:0:0:0:F/4660(3C)/", 22) == 0,
	      "ar_cap: port/object(rights)/check");
	end = ar_tocap(text, &back);
	CHECK(end != NULL && *end == 0 && memcmp(&back, &c, sizeof(c)) == 0,
	      "ar_tocap reads it back");
	CHECK(strcmp(ar_port(&c.cap_port), "A1:0:0:0:0:F") == 0, "ar_port");
	CHECK(ar_toport("1:2:3:4:5:6 rest", &p) != NULL &&
	      p._portbytes[5] == 6, "ar_toport stops after the port");
	CHECK(ar_toport("1:2:3:4:5", &p) == NULL, "short port: NULL");
	CHECK(ar_toport("1:2:3:4:5:100", &p) == NULL, "byte over FF: NULL");
	CHECK(ar_tocap("A1:0:0:0:0:F/x(3C)/1:2:3:4:5:6", &back) == NULL,
	      "bad object number: NULL");
	CHECK(ar_topriv("16777216(1)/1:2:3:4:5:6", &back.cap_priv) == NULL,
	      "object number over 24 bits: NULL");
}

static int nrestrict;

static errstat
count_restrict(capability *cap, rights_bits mask, capability *out)
{
	nrestrict++;
	return std_restrict(cap, mask, out);
}

static void
check_cap_strmisc(void)
{
	capability rnd, r1, r2;
	char buf[16], *p;

	CHECK(kdir_lookup(NULL, "random", &rnd) == STD_OK, "a capability");
	r1 = rnd;
	CHECK(cap_cmp(&r1, &rnd) && (r1.cap_priv.prv_rights ^= 1, 1) &&
	      !cap_cmp(&r1, &rnd), "cap_cmp: same and different");
	CHECK(cc_restrict(&rnd, 0x02, &r1, count_restrict) == STD_OK &&
	      r1.cap_priv.prv_rights == 0x02 && nrestrict == 1,
	      "cc_restrict asks the server the first time");
	CHECK(cc_restrict(&rnd, 0x02, &r2, count_restrict) == STD_OK &&
	      cap_cmp(&r1, &r2) && nrestrict == 1,
	      "cc_restrict answers from the cache the second time");
	p = bprintf(buf, buf + sizeof(buf), "%d-%s", 42, "ab");
	CHECK(p == buf + 5 && strcmp(buf, "42-ab") == 0,
	      "bprintf returns where the text ends");
	p = bprintf(p, buf + sizeof(buf), "%s", "0123456789abcdef");
	CHECK(p == buf + sizeof(buf) && buf[sizeof(buf) - 1] == 0,
	      "bprintf truncates at the end of the buffer");
	CHECK(strcasecmp("Amoeba", "AMOEBA") == 0, "strcasecmp");
}

static void
check_sleep(void)
{
	unsigned long t0 = sys_milli();

	CHECK(usleep(40000) == 0 && sys_milli() - t0 >= 40,
	      "usleep(40000) lasts at least 40 ms");
	t0 = sys_milli();
	CHECK(sleep(1) == 0 && sys_milli() - t0 >= 1000, "sleep(1)");
	CHECK(usleep(2000000) == -1, "usleep of 2 s: EINVAL");
	CHECK(TICKSPERSEC == 1000 && NILCAP == NULL, "amtools.h names");
}

static void
check_tod_host(void)
{
	capability dir, proc, bogus;
	long sec = 0;
	int ms = -1, tz = -1, dst = -1;
	time_t now = time(NULL);
	interval old;
	port a, b;

	CHECK(tod_gettime(&sec, &ms, &tz, &dst) == STD_OK &&
	      sec >= (long)now - 2 && sec <= (long)now + 2 &&
	      ms >= 0 && ms < 1000 && tz == 0,
	      "tod_gettime: the node's time, milliseconds, time zone 0");
	CHECK(tod_gettime(NULL, &ms, &tz, &dst) == STD_ARGBAD,
	      "tod_gettime(NULL, ...): STD_ARGBAD");
	CHECK(tod_settime(sec, 0) == STD_COMBAD,
	      "tod_settime: the kernel server does not set the time");
	memset(&bogus, 0x44, sizeof(bogus));
	tod_setcap(&bogus);
	old = timeout(300);
	CHECK(tod_gettime(&sec, &ms, &tz, &dst) != STD_OK,
	      "tod_setcap: a bogus server is used (and fails)");
	timeout(old);
	CHECK(tod_defcap() == STD_OK &&
	      tod_gettime(&sec, &ms, &tz, &dst) == STD_OK,
	      "tod_defcap: back to the node's server");
	CHECK(host_lookup(getenv("VX_NODE") ? getenv("VX_NODE") : "vx",
			  &dir) == STD_OK &&
	      dir_lookup(&dir, "proc", &proc) == STD_OK &&
	      pro_getdef(&proc, &(int){0}, &(int){0}, &(int){0}) == STD_OK,
	      "host_lookup: this node's kernel directory; its proc server");
	old = timeout(1500);
	CHECK(host_lookup("no-such-node", &dir) != STD_OK,
	      "host_lookup of a node nobody runs fails");
	timeout(old);
	CHECK(host_lookup(NULL, &dir) == STD_ARGBAD &&
	      host_lookup("", &dir) == STD_ARGBAD,
	      "host_lookup: no name: STD_ARGBAD");
	memset(&a, 0x5A, sizeof(a));
	one_way(&a, &b);
	CHECK(!PORTCMP(&a, &b) && !NULLPORT(&b), "module/crypt.h: one_way");
}

int
main(void)
{
	check_rnd();
	check_proc();
	check_ar();
	check_cap_strmisc();
	check_sleep();
	check_tod_host();
	return TEST_DONE();
}
