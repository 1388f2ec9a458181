/*
 * procsvr.h - starting processes from process descriptors, and the
 * process table's other kernel-internal entry points.
 */
#ifndef KERNEL_INCLUDE_PROCSVR_H
#define KERNEL_INCLUDE_PROCSVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amoeba.h>

struct proc;
struct segment;
struct thread;
struct proc_exit;

/* A named capability for the new process's capability environment. */
struct cap_env {
	const char *name;
	capability cap;
};

/*
 * proc_exec: start a process from an Amoeba executable image (a marshalled
 * PD followed by the contents its segments point at with null
 * capabilities).  argv/envp are NULL-terminated; caps has ncaps entries;
 * prio is the process priority (PRIO_HIGH, PRIO_NORM or PRIO_LOW).
 * Returns the running process, or NULL with *err set.
 */
struct proc *proc_exec(const uint8_t *image, size_t len, const char *name,
		       const char *const *argv, const char *const *envp,
		       const struct cap_env *caps, int ncaps, int prio,
		       errstat *err);

struct proc *proc_create(const char *name, int prio);
int proc_map(struct proc *p, struct segment *s, uint32_t va, bool writable,
	     uint32_t type);
errstat proc_unmap(struct proc *p, int idx);
/* seg_can_grow: may s reach newlen in every process that maps it? */
bool seg_can_grow(const struct segment *s, uint32_t newlen);
struct thread *proc_new_thread(struct proc *p, uint32_t eip, uint32_t esp,
			       uint32_t local);
void proc_wait(struct proc *p, struct proc_exit *ex);
void proc_detach(struct proc *p);
/* proc_abort: tear down a process that never started a thread. */
void proc_abort(struct proc *p);
int proc_count(void);

/* The boot image: files by name. */
int bootimg_find(const char *name, const uint8_t **data, size_t *len);
int bootimg_count(void);
const char *bootimg_name(int i);
void bootimg_init(void);
errstat bootimg_run(const char *const *argv, struct proc_exit *ex);

#endif /* KERNEL_INCLUDE_PROCSVR_H */
