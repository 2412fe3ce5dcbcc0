/*
 * Signal frames on the user stack: building one when a handler is called,
 * and reading one back in sigreturn and rt_sigreturn.  The frames
 * themselves, and what sigreturn lets a program set, are sigframe.c's
 * (the part that builds on the host too, tests/host/); this file brings
 * the task, the FPU and user memory.
 *
 * Returning from a handler is where a program could try to forge its way
 * into privilege, so sigreturn trusts nothing in the frame (sigframe.c
 * says how).
 */
#include <kernel/altmm.h>
#include <kernel/arch.h>
#include <kernel/fpu.h>
#include <kernel/mm.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <uapi/altmm.h>
#include <uapi/ldt.h>
#include "sigframe.h"

int altstack_set(const stack_t *ss, uint32_t sp);

/* ---- building a frame ---- */

static bool on_altstack(const struct task *t, uint32_t sp)
{
	return sp > t->sig.altstack_sp && sp - t->sig.altstack_sp <= t->sig.altstack_size;
}

void signal_save_sigcontext(struct sigcontext *sc, const struct trapframe *tf, uint32_t fpstate,
			    uint32_t oldmask)
{
	sigframe_fill_sigcontext(sc, tf, current->trap_nr, current->trap_err, current->trap_cr2, fpstate,
				 oldmask);
}

/*
 * Build a frame for handler ka of signal sig below sp, in the address
 * space loaded now, and point the registers at the handler.  kind says
 * which frame: FRAME_PLAIN (no SA_SIGINFO), FRAME_RT, or FRAME_ALTMM (an
 * rt frame whose ucontext ends with uc_mm; <uapi/altmm.h>).  stack_limit,
 * when not 0, is the lowest address the frame may use (the alternate
 * stack's base).  old_blocked is the blocked set sigreturn will restore.
 * Returns 0, or -EFAULT when the frame cannot be written (the caller then
 * kills the task with SIGSEGV, as Linux does).
 */
int signal_build_frame(struct trapframe *tf, int sig, const siginfo_t *info, const struct k_sigaction *ka,
		       uint64_t old_blocked, uint32_t sp, uint32_t stack_limit, enum frame_kind kind,
		       int32_t uc_mm)
{
	struct task *t = current;
	/* A guest that has not used the FPU since it was entered needs none in
	 * its frame (altmm's lean frame: fpstate 0; fpu.c explains). */
	bool lean = kind == FRAME_ALTMM && uc_mm != -1 && fpu_guest_untouched(t);
	uint32_t fpstate;
	uint32_t frame = sigframe_place(sp, stack_limit, kind, lean, &fpstate);
	if (!frame)
		return -EFAULT;

	/* Frames are built in static buffers, not on the 8 KiB kernel stack: one
	 * CPU and a kernel that is not preempted mean one user at a time. */
	if (!lean) {
		static struct fpstate_32 fp;
		fpu_save(t);
		sigframe_fpstate_out(&fp, t->fpu);
		if (copy_to_user((void *)fpstate, &fp, sizeof fp))
			return -EFAULT;
	}
	static union sigframe_buf buf;
	const struct sigframe_in in = {
		.sig = sig, .info = info, .restorer = (ka->flags & SA_RESTORER) ? ka->restorer : 0,
		.old_blocked = old_blocked, .altstack_sp = t->sig.altstack_sp,
		.altstack_size = t->sig.altstack_size, .altstack_flags = t->sig.altstack_flags,
		.uc_mm = uc_mm, .trapno = t->trap_nr, .err = t->trap_err, .cr2 = t->trap_cr2,
	};
	sigframe_fill(&buf, kind, frame, fpstate, tf, &in);
	if (copy_to_user((void *)frame, &buf, sigframe_size(kind)))
		return -EFAULT;
	sigframe_enter(tf, kind, frame, sig, ka->handler);
	if (!lean)
		fpu_handler_init(t);	/* the handler starts with a clean FPU, as in Linux */
	return 0;
}

/* An ordinary handler: its frame goes on the current stack, or on the
 * alternate stack with SA_ONSTACK (unless already on it). */
int signal_setup_frame(struct trapframe *tf, int sig, const siginfo_t *info,
		       const struct k_sigaction *ka, uint64_t old_blocked)
{
	struct task *t = current;
	uint32_t sp = tf->user_esp, limit = 0;
	if ((ka->flags & SA_ONSTACK) && t->sig.altstack_size) {
		if (!on_altstack(t, sp))
			sp = t->sig.altstack_sp + t->sig.altstack_size;
		limit = t->sig.altstack_sp;
	}
	return signal_build_frame(tf, sig, info, ka, old_blocked, sp, limit,
				  (ka->flags & SA_SIGINFO) ? FRAME_RT : FRAME_PLAIN, -1);
}

/* ---- returning from a handler ---- */

/*
 * Restore the registers (and FPU) from sc; false if the frame cannot be
 * read.  What a program may set and what it may not: sigframe.c.
 */
static bool restore_sigcontext(struct trapframe *tf, const struct sigcontext *sc, bool altmm)
{
	if (sc->fpstate) {
		static struct fpstate_32 fp;
		if (copy_from_user(&fp, (const void *)sc->fpstate, sizeof fp))
			return false;
		sigframe_fpstate_in(&fp, fpu_mxcsr_mask());
		memcpy(current->fpu, fp.fxsr_env, FXSAVE_SIZE);
		fpu_restore(current);
		fpu_drop_stash(current);
	} else if (altmm) {
		fpu_unstash(current);	/* a lean frame: the registers as the guest left them */
	} else {
		fpu_task_init(current);	/* Linux: no FPU state in the frame resets it */
	}
	sigframe_restore_regs(tf, sc);
	return true;
}

static void set_blocked(uint64_t set)
{
	current->sig.blocked = set & ~SIG_UNBLOCKABLE;
	signal_recalc(current);
}

/* A frame that cannot be read or is not acceptable: SIGSEGV, as Linux does;
 * it arrives on the way out of this system call. */
static long bad_frame(void)
{
	force_signal(current, SIGSEGV, SI_KERNEL, 0);
	return 0;
}

/* Frames are read into static buffers too (see signal_build_frame). */
static long sys_rt_sigreturn(void)
{
	struct trapframe *tf = task_trapframe(current);
	/* Only the ucontext matters here, read as an altmm one: an rt frame's
	 * is the same but for uc_mm, which counts only when uc_flags says
	 * UC_ALTMM.  (The siginfo before it is the handler's business.) */
	static struct altmm_sigframe f;
	current->syscall_nr = -1;	/* never "restart" sigreturn */
	uint32_t frame = tf->user_esp - 4;
	if (copy_from_user(&f.uc, (const void *)(frame + offsetof(struct altmm_sigframe, uc)), sizeof f.uc))
		return bad_frame();
#if ALTMM
	/* Check the space the frame names before anything changes. */
	struct mm *space = 0;
	if (f.uc.uc_flags & UC_ALTMM) {
		space = altmm_sigreturn_lookup(f.uc.uc_mm);
		if (!space)
			return bad_frame();
	}
#endif
	set_blocked(f.uc.uc_sigmask);
	if (!restore_sigcontext(tf, &f.uc.uc_mcontext, f.uc.uc_flags & UC_ALTMM)) {
#if ALTMM
		if (space)
			mm_put(space);
#endif
		return bad_frame();
	}
	/* As Linux, the frame's sigaltstack settings are set again, any error
	 * ignored.  Settings equal to the ones in force would change nothing
	 * (or be refused, on the stack): the usual case costs no call. */
	stack_t ss = f.uc.uc_stack;
	if ((uint32_t)ss.ss_sp != current->sig.altstack_sp || ss.ss_size != current->sig.altstack_size ||
	    (uint32_t)ss.ss_flags != current->sig.altstack_flags)
		altstack_set(&ss, tf->user_esp);
#if ALTMM
	if (space)	/* last: the frame and its FPU state were in the handler's space */
		altmm_sigreturn_switch(space, f.uc.uc_mm);
#endif
	return (long)tf->eax;	/* the dispatcher stores this back into eax */
}
SYSCALL(rt_sigreturn, sys_rt_sigreturn);

static long sys_sigreturn(void)
{
	struct trapframe *tf = task_trapframe(current);
	static struct sigframe f;
	current->syscall_nr = -1;
	if (copy_from_user(&f, (const void *)(tf->user_esp - 8), sizeof f))
		return bad_frame();
	set_blocked((uint64_t)f.extramask[0] << 32 | f.sc.oldmask);
	if (!restore_sigcontext(tf, &f.sc, false))
		return bad_frame();
	return (long)tf->eax;
}
SYSCALL(sigreturn, sys_sigreturn);
