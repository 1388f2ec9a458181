/*
 * module/cap.h - comparing capabilities and a cache of restricted ones
 * (Amoeba 5.3).
 *
 * cap_cmp: non-zero when the two capabilities are the same 16 bytes.
 * cc_restrict(cap, mask, new, restrict): *new = cap restricted to mask,
 * from the cache or by calling restrict(cap, mask, new) (std_restrict,
 * say) and remembering the answer; its result is restrict's (STD_OK).
 * cc_init(n) sizes the cache (default 32 entries); 0 on success.
 */
#ifndef MODULE_CAP_H
#define MODULE_CAP_H

#include <amoeba.h>

int cap_cmp(capability *cap1, capability *cap2);
int cc_restrict(capability *cap, rights_bits mask, capability *newcap,
		errstat (*restrict_fn)(capability *, rights_bits, capability *));
int cc_init(int ncache);

#endif /* MODULE_CAP_H */
