/*
 * Signal frames as data (kernel/arch/x86/sigframe.c): where a frame goes,
 * what it holds, the registers a handler starts with, and what sigreturn
 * takes back from one.  Nothing here knows tasks, the FPU hardware or
 * user memory: signal_frame.c gathers the inputs from the task, copies
 * the frames to and from the user stack, and loads the FPU.  That keeps
 * this part buildable and testable on the host (tests/host/).
 */
#ifndef KERNEL_ARCH_X86_SIGFRAME_H
#define KERNEL_ARCH_X86_SIGFRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/signal.h>
#include <kernel/trap.h>
#include <uapi/altmm.h>
#include <uapi/signal.h>

/* What a frame holds besides the registers; the caller gathers it. */
struct sigframe_in {
	int sig;
	const siginfo_t *info;		/* rt and altmm frames */
	uint32_t restorer;		/* SA_RESTORER's, or 0: pretcode points at retcode */
	uint64_t old_blocked;		/* what sigreturn restores */
	uint32_t altstack_sp, altstack_size, altstack_flags;	/* uc_stack, as set */
	int32_t uc_mm;			/* altmm frames */
	uint32_t trapno, err, cr2;	/* the task's last trap */
};

/* A frame of any kind, built in the kernel before it is copied out. */
union sigframe_buf {
	struct sigframe plain;
	struct rt_sigframe rt;
	struct altmm_sigframe am;
};

uint32_t sigframe_size(enum frame_kind kind);

/* Where a frame of kind goes below sp: its address, and *fpstate, the FPU
 * state's (0 when lean: no FPU state).  0 when it does not fit: it would
 * wrap below address 0, or pass below stack_limit (when not 0, the base
 * of the alternate stack).  A frame address is never 0: it is 12 mod 16. */
uint32_t sigframe_place(uint32_t sp, uint32_t stack_limit, enum frame_kind kind, bool lean,
			uint32_t *fpstate);

/* Every word of buf for the frame at user address frame, from the
 * interrupted registers tf and in; fpstate as sigframe_place gave it. */
void sigframe_fill(union sigframe_buf *buf, enum frame_kind kind, uint32_t frame, uint32_t fpstate,
		   const struct trapframe *tf, const struct sigframe_in *in);

/* The registers at the handler's first instruction: eax = sig, edx and
 * ecx the rt frames' other two arguments (0 for a plain frame), eip the
 * handler, esp the frame, user selectors, TF, DF and RF cleared. */
void sigframe_enter(struct trapframe *tf, enum frame_kind kind, uint32_t frame, int sig, uint32_t handler);

/* The FPU state of a frame from an fxsave image: the fsave part (tags
 * worked out as Linux does) and the image after it. */
void sigframe_fpstate_out(struct fpstate_32 *fp, const void *fxsave);
/* sigreturn's side: make fp's fxsave image what the handler left in the
 * frame (the fsave part wins over the image's environment and registers),
 * with MXCSR's reserved bits (not in mxcsr_mask) dropped. */
void sigframe_fpstate_in(struct fpstate_32 *fp, uint32_t mxcsr_mask);

/* The registers sigreturn restores from sc: only what a program may set
 * (cs and ss forced to RPL 3, eflags only SIGRETURN_EFLAGS). */
void sigframe_restore_regs(struct trapframe *tf, const struct sigcontext *sc);

/* Every word of sc, pads too (the altmm fast path fills the same buffer
 * again and again without clearing it).  Inline: that path takes it on
 * every guest system call. */
static inline void sigframe_fill_sigcontext(struct sigcontext *sc, const struct trapframe *tf,
					    uint32_t trapno, uint32_t err, uint32_t cr2,
					    uint32_t fpstate, uint32_t oldmask)
{
	sc->gs = (uint16_t)tf->gs;
	sc->fs = (uint16_t)tf->fs;
	sc->es = (uint16_t)tf->es;
	sc->ds = (uint16_t)tf->ds;
	sc->__gsh = sc->__fsh = sc->__esh = sc->__dsh = sc->__csh = sc->__ssh = 0;
	sc->edi = tf->edi;
	sc->esi = tf->esi;
	sc->ebp = tf->ebp;
	sc->esp = tf->user_esp;
	sc->ebx = tf->ebx;
	sc->edx = tf->edx;
	sc->ecx = tf->ecx;
	sc->eax = tf->eax;
	sc->trapno = trapno;
	sc->err = err;
	sc->eip = tf->eip;
	sc->cs = (uint16_t)tf->cs;
	sc->eflags = tf->eflags;
	sc->esp_at_signal = tf->user_esp;
	sc->ss = (uint16_t)tf->user_ss;
	sc->fpstate = fpstate;
	sc->oldmask = oldmask;
	sc->cr2 = cr2;
}

#endif
