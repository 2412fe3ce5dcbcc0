/*
 * FPU/SSE state and TLS descriptors: per-task CPU state that a context
 * switch saves and loads (kernel/arch/x86/fpu.c, kernel/arch/x86/tls.c).
 * The FPU state is saved eagerly at every switch: simple, and the cost is
 * paid only on switches, not on system calls.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include <stdbool.h>
#include <stdint.h>

struct task;

#define FPU_STATE_SIZE 512	/* fxsave area; fnsave uses the first 108 bytes */

void fpu_init(void);			/* at boot: enable the FPU and SSE */
void fpu_task_init(struct task *t);	/* a fresh FPU state (as after finit) */
void fpu_copy(struct task *dst, const struct task *src);	/* fork */
void fpu_save(struct task *t);
/* The MXCSR bits this CPU accepts (fxrstor faults on the others). */
uint32_t fpu_mxcsr_mask(void);
void fpu_restore(struct task *t);

void fpu_switch(struct task *prev, struct task *next);

/* Lazy FPU for guests (altmm; fpu.c explains). */
void fpu_lazy_arm(struct task *t);		/* entering a guest: trap its first FPU use */
/* fpu_guest_untouched(t): inline in <kernel/task.h>. */
void fpu_device_not_available(struct task *t, bool in_guest);	/* #NM from user mode */
void fpu_unstash(struct task *t);		/* back into the guest: its registers as they were */
void fpu_drop_stash(struct task *t);
void fpu_handler_init(struct task *t);		/* a clean FPU for a handler (the stash stays) */

void tls_load(struct task *t);		/* the task's set_thread_area slots into the GDT */

#endif
