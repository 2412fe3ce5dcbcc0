/*
 * altmm inside the kernel (kernel/altmm/): address spaces held by
 * descriptors, running a thread in a space other than its home, and the
 * signal path between them.  The ABI is in <uapi/altmm.h>.
 *
 * A task has a home address space (task->mm) and the space it runs in
 * now (task->active_mm); they differ while it runs guest code.  Both hold
 * a reference.  The kernel is built with ALTMM=1 by default; with
 * `make ALTMM=0` none of this is compiled and the hooks below are empty,
 * so that the cost of the one test on the system-call path can be
 * measured against a kernel without it.
 */
#ifndef KERNEL_ALTMM_H
#define KERNEL_ALTMM_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/task.h>

#ifndef ALTMM
#define ALTMM 1
#endif

struct trapframe;
struct k_sigaction;
struct mm;

/* Is the task running in a space other than its home? (One compare.) */
static inline bool altmm_foreign(const struct task *t)
{
	return ALTMM && t->active_mm != t->mm;
}

#if ALTMM
void altmm_init(void);
/* int $0x80 from a foreign space: SIGSYS instead of the call. */
void altmm_foreign_syscall(struct trapframe *tf);
/* The usual case of a fault of the guest's (fastpath.c;
 * force_trap_signal: sig, code, address; the task's trap_nr, trap_err,
 * trap_cr2 already say which), or false, having changed nothing, to take
 * the general way. */
bool altmm_fault_fast(struct trapframe *tf, int sig, int code, uint32_t addr);
/* A trap of the guest's (info: its signal): straight to an SA_IN_MM
 * handler that is ready for it, else the ordinary forced signal. */
void altmm_trap(struct trapframe *tf, const siginfo_t *info);
/* The mm behind descriptor fd with a new reference, or NULL with *err
 * set (-EBADF: not open; -EINVAL: not an address space). */
struct mm *mm_from_fd(int fd, int *err);
/* Deliver an SA_IN_MM handler: switch to its space and build the frame.
 * 0, or -EFAULT when the frame could not be built (the caller kills). */
int altmm_setup_frame(struct trapframe *tf, int sig, const siginfo_t *info,
		      const struct k_sigaction *ka, uint64_t old_blocked);
/* rt_sigreturn of an altmm frame: the space uc_mm names (-1: home), with
 * a new reference, or NULL when it is not a usable space; then, once the
 * registers are restored, switch to it. */
struct mm *altmm_sigreturn_lookup(int32_t uc_mm);
void altmm_sigreturn_switch(struct mm *space, int32_t uc_mm);
/* Signals whose handlers must wait while the task is in a foreign space. */
uint64_t altmm_deferred_signals(const struct task *t);
void altmm_fork(struct task *child, const struct task *parent);
void altmm_exec(struct task *t);	/* sigaltmm off */
void altmm_exit(struct task *t);	/* back to the home space, sigaltmm off */
#else
static inline void altmm_init(void) {}
static inline void altmm_foreign_syscall(struct trapframe *tf) { (void)tf; }
static inline uint64_t altmm_deferred_signals(const struct task *t) { (void)t; return 0; }
static inline void altmm_fork(struct task *c, const struct task *p) { (void)c, (void)p; }
static inline void altmm_exec(struct task *t) { (void)t; }
static inline void altmm_exit(struct task *t) { (void)t; }
#endif

#endif
