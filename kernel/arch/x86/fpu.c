/*
 * The FPU and SSE registers of user programs.
 *
 * At boot we turn the FPU on (CR0: no emulation, native error reporting)
 * and, when the CPU has FXSAVE and SSE, tell it the kernel saves the SSE
 * registers too (CR4.OSFXSR, OSXMMEXCPT); without that, SSE instructions
 * fault.  Each task has a 512-byte save area; the scheduler saves the
 * outgoing task's registers and loads the incoming one's on every switch.
 * The kernel itself is built with -mgeneral-regs-only, so it never
 * touches these registers in between.
 */
#include <kernel/fpu.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <stdbool.h>

#define CR0_MP	(1u << 1)
#define CR0_EM	(1u << 2)
#define CR0_TS	(1u << 3)
#define CR0_NE	(1u << 5)
#define CR4_OSFXSR	(1u << 9)
#define CR4_OSXMMEXCPT	(1u << 10)
#define CPUID_FXSR	(1u << 24)
#define CPUID_SSE	(1u << 25)

static bool have_fxsr;
static uint8_t initial_state[FPU_STATE_SIZE] __attribute__((aligned(16)));

static void save(uint8_t *area)
{
	if (have_fxsr)
		__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
	else
		__asm__ volatile("fnsave (%0); frstor (%0)" : : "r"(area) : "memory");
}

static void restore(const uint8_t *area)
{
	if (have_fxsr)
		__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
	else
		__asm__ volatile("frstor (%0)" : : "r"(area) : "memory");
}

void fpu_init(void)
{
	uint32_t eax = 1, ebx, ecx, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	have_fxsr = (edx & CPUID_FXSR) != 0;

	uint32_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	if (have_fxsr) {
		uint32_t cr4;
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		cr4 |= CR4_OSFXSR;
		if (edx & CPUID_SSE)
			cr4 |= CR4_OSXMMEXCPT;
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	}
	/* The state every program starts with: what finit leaves, SSE masked. */
	__asm__ volatile("fninit");
	if (edx & CPUID_SSE) {
		uint32_t mxcsr = 0x1F80;	/* all SSE exceptions masked */
		__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	}
	save(initial_state);
}

void fpu_task_init(struct task *t)
{
	memcpy(t->fpu, initial_state, FPU_STATE_SIZE);
	if (t == current)
		restore(t->fpu);
}

void fpu_copy(struct task *dst, const struct task *src)
{
	if (src == current)
		save(current->fpu);	/* the live registers are the truth */
	memcpy(dst->fpu, src->fpu, FPU_STATE_SIZE);
}

void fpu_save(struct task *t) { save(t->fpu); }

uint32_t fpu_mxcsr_mask(void)
{
	/* fxsave stores the mask at byte 28; 0 there means the default, 0xFFBF. */
	uint32_t mask;
	memcpy(&mask, initial_state + 28, sizeof mask);
	return mask ? mask : 0xFFBF;
}
void fpu_restore(struct task *t) { restore(t->fpu); }
