/* ktutil.h - helpers shared by the in-kernel tests. */
#ifndef TESTS_KERNEL_KTUTIL_H
#define TESTS_KERNEL_KTUTIL_H

#include <amoeba.h>

/* kt_lookup: a capability from this node's kernel directory. */
errstat kt_lookup(const char *name, capability *cap);
/* kt_trans: a header-only request on cap; reply status or error. */
errstat kt_simple(const capability *cap, command cmd, header *h);
/* kt_contains: does text contain word? */
int kt_contains(const char *text, const char *word);

#endif /* TESTS_KERNEL_KTUTIL_H */
