/*
 * The FPU and SSE registers of user programs.
 *
 * At boot we turn the FPU on (CR0: no emulation, native error reporting)
 * and tell the CPU the kernel saves the SSE registers too (CR4.OSFXSR,
 * OSXMMEXCPT); without that, SSE instructions fault.  Each task has a
 * 512-byte fxsave area; the scheduler saves the outgoing task's registers
 * and loads the incoming one's on every switch.  The kernel itself is
 * built with -mgeneral-regs-only, so it never touches these registers in
 * between.
 *
 * Lazily, for guests (altmm): when a task enters a guest space, the
 * kernel sets CR0.TS, so the guest's first FPU or SSE instruction traps
 * (#NM, "device not available") and we learn that it used the FPU.  A
 * guest that traps out without having done so needs no FPU state in its
 * frame: the registers still hold what it was entered with.  If the
 * handler then touches the FPU itself, that state is first put aside (the
 * stash) and comes back when the handler returns into the guest.
 */
#include <kernel/fpu.h>
#include <kernel/printk.h>
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

static void clts(void) { __asm__ volatile("clts"); }

static void stts(void)
{
	uint32_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_TS));
}

/* fxsave and fxrstor would trap with TS set: clear it first. */
static void save(uint8_t *area)
{
	clts();
	__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static void restore(const uint8_t *area)
{
	clts();
	__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

void fpu_init(void)
{
	uint32_t eax = 1, ebx, ecx, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	have_fxsr = (edx & CPUID_FXSR) != 0;
	if (!have_fxsr)
		panic("this kernel needs a CPU with FXSAVE (a Pentium II or later)");

	uint32_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	{
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
	t->fpu_lazy = t->fpu_touched = t->fpu_stashed = false;
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

/* The context switch: the incoming task's registers, and its TS. */
void fpu_switch(struct task *prev, struct task *next)
{
	if (prev)
		save(prev->fpu);
	restore(next->fpu);
	if (next->fpu_lazy)
		stts();
}

void fpu_lazy_arm(struct task *t)
{
	t->fpu_lazy = true;
	t->fpu_touched = false;
	stts();
}

void fpu_device_not_available(struct task *t, bool in_guest)
{
	clts();
	if (!t->fpu_lazy)
		return;
	t->fpu_lazy = false;
	if (in_guest) {
		t->fpu_touched = true;	/* its own registers: nothing to move */
	} else {
		/* A handler at home about to change the guest's registers. */
		save(t->fpu_stash);
		t->fpu_stashed = true;
	}
}

void fpu_handler_init(struct task *t)
{
	memcpy(t->fpu, initial_state, FPU_STATE_SIZE);
	t->fpu_lazy = false;
	restore(t->fpu);
}

void fpu_drop_stash(struct task *t)
{
	t->fpu_stashed = false;
}

void fpu_unstash(struct task *t)
{
	if (t->fpu_stashed)
		restore(t->fpu_stash);
	t->fpu_stashed = false;
}

uint32_t fpu_mxcsr_mask(void)
{
	/* fxsave stores the mask at byte 28; 0 there means the default, 0xFFBF. */
	uint32_t mask;
	memcpy(&mask, initial_state + 28, sizeof mask);
	return mask ? mask : 0xFFBF;
}
void fpu_restore(struct task *t) { restore(t->fpu); }
