/*
 * boothook.h - code that a kernel build adds to the end of the boot flow.
 *
 * BOOTHOOK(fn) puts fn in a linker set; kmain runs every fn after the
 * node is ready ("vx: ready") and before init= or the monitor.  The test
 * kernel (build/vx-test.elf) adds the in-kernel test runner and the
 * benchmarks this way, so the production kernel links none of them.
 */
#ifndef KERNEL_BOOTHOOK_H
#define KERNEL_BOOTHOOK_H

struct boothook {
	const char *name;	/* for the boot log */
	void (*fn)(void);	/* may not return (a test run leaves QEMU) */
};

#define BOOTHOOK(hfn)                                                       \
	static const struct boothook boothook_##hfn                         \
		__attribute__((used, section(".boothook"), aligned(4))) =   \
			{ #hfn, hfn }

/* boothook_run: run every hook of this kernel build, in link order. */
void boothook_run(void);

#endif /* KERNEL_BOOTHOOK_H */
