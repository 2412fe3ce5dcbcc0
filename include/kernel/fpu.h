/*
 * FPU/SSE state and TLS descriptors: per-task CPU state that a context
 * switch saves and loads (kernel/arch/x86/fpu.c, kernel/arch/x86/tls.c).
 * The FPU state is saved eagerly at every switch: simple, and the cost is
 * paid only on switches, not on system calls.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

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

void tls_load(struct task *t);		/* the task's set_thread_area slots into the GDT */

#endif
