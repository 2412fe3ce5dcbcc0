/*
 * Signal frames, exactly as Linux i386 lays them out (<uapi/signal.h> draws
 * them): building one on the user stack when a handler is called, and
 * reading one back in sigreturn and rt_sigreturn.
 *
 * Returning from a handler is where a program could try to forge its way
 * into privilege, so sigreturn trusts nothing in the frame: code and stack
 * selectors are forced to ring 3 and the CPU, on the way out, refuses or
 * nulls any selector ring 3 may not use (as on Linux); only the
 * arithmetic, direction, trap, alignment and resume flags come from the
 * frame's eflags (never IOPL, IF, VM or NT).
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

int altstack_set(const stack_t *ss, uint32_t sp);

/* ---- FPU state in the frame ---- */

/* The x87 tag of one register in the full (fsave) format: 0 valid, 1 zero,
 * 2 special, 3 empty.  fxsave keeps only "empty or not", so Linux works the
 * rest out from the register's value; so do we. */
static uint32_t full_tag(const struct fpxreg *r, bool used)
{
	if (!used)
		return 3;
	uint16_t exp = r->exponent & 0x7FFF;
	bool sig_zero = !r->significand[0] && !r->significand[1] && !r->significand[2] && !r->significand[3];
	if (exp == 0x7FFF)
		return 2;
	if (exp == 0)
		return sig_zero ? 1 : 2;
	return (r->significand[3] & 0x8000) ? 0 : 2;	/* no integer bit: unnormal */
}

/* Fill the fsave part of a frame's fpstate from the fxsave image after it. */
static void fsave_from_fxsave(struct fpstate_32 *fp)
{
	const uint16_t *env = (const uint16_t *)fp->fxsr_env;	/* fcw fsw ftw(8 bits) fop */
	uint32_t tos = (env[1] >> 11) & 7;
	fp->cw = env[0] | 0xFFFF0000u;
	fp->sw = env[1] | 0xFFFF0000u;
	fp->tag = 0xFFFF0000u;
	for (uint32_t phys = 0; phys < 8; phys++) {
		uint32_t st = (phys - tos) & 7;	/* which ST(i) is physical register phys */
		fp->tag |= full_tag(&fp->fxsr_st[st], (env[2] >> phys) & 1) << (2 * phys);
	}
	fp->ipoff = fp->fxsr_env[2];
	fp->cssel = (fp->fxsr_env[3] & 0xFFFF) | (uint32_t)env[3] << 16;	/* fcs, fop */
	fp->dataoff = fp->fxsr_env[4];
	fp->datasel = fp->fxsr_env[5] & 0xFFFF;
	for (int i = 0; i < 8; i++)
		memcpy(&fp->st[i], &fp->fxsr_st[i], sizeof fp->st[i]);
	fp->status = (uint16_t)env[1];
	fp->magic = X86_FXSR_MAGIC;
}

/*
 * The other way, at sigreturn: the fsave part of the frame wins over the
 * environment and registers in the fxsave image after it (a handler may
 * have edited either; Linux applies the fsave part last).  MXCSR and the
 * XMM registers come from the image.
 */
static void fxsave_from_fsave(struct fpstate_32 *fp)
{
	uint16_t *env = (uint16_t *)fp->fxsr_env;
	env[0] = (uint16_t)fp->cw;
	env[1] = (uint16_t)fp->sw;
	uint8_t abridged = 0;
	for (int phys = 0; phys < 8; phys++)
		if (((fp->tag >> (2 * phys)) & 3) != 3)
			abridged |= (uint8_t)(1u << phys);
	env[2] = abridged;		/* ftw, and the reserved byte after it */
	env[3] = (uint16_t)(fp->cssel >> 16);	/* fop */
	fp->fxsr_env[2] = fp->ipoff;
	fp->fxsr_env[3] = fp->cssel & 0xFFFF;
	fp->fxsr_env[4] = fp->dataoff;
	fp->fxsr_env[5] = fp->datasel & 0xFFFF;
	for (int i = 0; i < 8; i++)
		memcpy(&fp->fxsr_st[i], &fp->st[i], sizeof fp->st[i]);
}

/* ---- building a frame ---- */

static bool on_altstack(const struct task *t, uint32_t sp)
{
	return sp > t->sig.altstack_sp && sp - t->sig.altstack_sp <= t->sig.altstack_size;
}

void signal_save_sigcontext(struct sigcontext *sc, const struct trapframe *tf, uint32_t fpstate,
			    uint32_t oldmask)
{
	/* Every word, pads too: the altmm fast path fills the same buffer
	 * again and again without clearing it. */
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
	sc->trapno = current->trap_nr;
	sc->err = current->trap_err;
	sc->eip = tf->eip;
	sc->cs = (uint16_t)tf->cs;
	sc->eflags = tf->eflags;
	sc->esp_at_signal = tf->user_esp;
	sc->ss = (uint16_t)tf->user_ss;
	sc->fpstate = fpstate;
	sc->oldmask = oldmask;
	sc->cr2 = current->trap_cr2;
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
	/* The FPU state: a 64-byte aligned fxsave image, the fsave part below it. */
	uint32_t fx = (sp - FXSAVE_SIZE) & ~63u;
	uint32_t fpstate = lean ? 0 : fx - FPSTATE_FSAVE_SIZE;
	uint32_t size = kind == FRAME_PLAIN ? sizeof(struct sigframe)
			: kind == FRAME_RT ? sizeof(struct rt_sigframe) : sizeof(struct altmm_sigframe);
	uint32_t frame = (((lean ? sp : fpstate) - size + 4) & ~15u) - 4;	/* (esp + 4) % 16 == 0 */
	if (frame > sp || (stack_limit && frame < stack_limit))
		return -EFAULT;	/* wrapped, or overflowed the alternate stack */

	/* Frames are built in static buffers, not on the 8 KiB kernel stack: one
	 * CPU and a kernel that is not preempted mean one user at a time. */
	static struct fpstate_32 fp;
	if (!lean) {
		memset(&fp, 0, sizeof fp);
		fpu_save(t);
		memcpy(fp.fxsr_env, t->fpu, FXSAVE_SIZE);
		fsave_from_fxsave(&fp);
		if (copy_to_user((void *)fpstate, &fp, sizeof fp))
			return -EFAULT;
	}

	uint32_t restorer = (ka->flags & SA_RESTORER) ? ka->restorer : 0;
	if (kind != FRAME_PLAIN) {
		/* rt_sigframe and altmm_sigframe agree up to uc_sigmask. */
		static union { struct rt_sigframe rt; struct altmm_sigframe am; } u;
		static const uint8_t retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
		struct altmm_sigframe *f = &u.am;
		memset(&u, 0, sizeof u);
		f->sig = sig;
		f->pinfo = frame + offsetof(struct rt_sigframe, info);
		f->puc = frame + offsetof(struct rt_sigframe, uc);
		f->info = *info;
		f->uc.uc_stack.ss_sp = (void *)t->sig.altstack_sp;
		f->uc.uc_stack.ss_flags = (int32_t)t->sig.altstack_flags;	/* as set, like Linux */
		f->uc.uc_stack.ss_size = t->sig.altstack_size;
		signal_save_sigcontext(&f->uc.uc_mcontext, tf, fpstate, (uint32_t)old_blocked);
		f->uc.uc_sigmask = old_blocked;
		uint32_t retcode_at;
		if (kind == FRAME_ALTMM) {
			f->uc.uc_flags = UC_ALTMM;
			f->uc.uc_mm = uc_mm;
			memcpy(f->retcode, retcode, sizeof retcode);
			retcode_at = offsetof(struct altmm_sigframe, retcode);
		} else {
			memcpy(u.rt.retcode, retcode, sizeof retcode);
			retcode_at = offsetof(struct rt_sigframe, retcode);
		}
		f->pretcode = restorer ? restorer : frame + retcode_at;
		if (copy_to_user((void *)frame, &u, size))
			return -EFAULT;
		tf->edx = f->pinfo;
		tf->ecx = f->puc;
	} else {
		static struct sigframe f;
		static const uint8_t retcode[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
		memset(&f, 0, sizeof f);
		f.pretcode = restorer ? restorer : frame + offsetof(struct sigframe, retcode);
		f.sig = sig;
		signal_save_sigcontext(&f.sc, tf, fpstate, (uint32_t)old_blocked);
		f.extramask[0] = (uint32_t)(old_blocked >> 32);
		memcpy(f.retcode, retcode, sizeof retcode);
		if (copy_to_user((void *)frame, &f, sizeof f))
			return -EFAULT;
		tf->edx = tf->ecx = 0;
	}
	signal_enter_handler(tf, sig, ka->handler, frame);
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
 * read.  The selectors are Linux's business exactly: cs and ss get RPL 3,
 * and everything else about every selector is left to the CPU, as Linux
 * leaves it.  On the way out (trap_entry.S) the data segment registers are
 * loaded in ring 0, where one that does not load becomes null
 * (segment_pop_fixup), and the iret nulls the ones ring 3 may not hold;
 * if the iret itself faults, a code or stack segment ring 3 cannot use,
 * the task gets SIGILL, ILL_BADSTK, trap 32 (iret_failed in trap.c).
 * RPL 3 means the return can never land in ring 0: a non-conforming code
 * segment must have DPL 3 to be entered with it, and there is no
 * conforming one.  eflags takes only SIGRETURN_EFLAGS from the frame,
 * never IOPL, IF, VM or NT.
 */
static bool restore_sigcontext(struct trapframe *tf, const struct sigcontext *sc, bool altmm)
{
	if (sc->fpstate) {
		static struct fpstate_32 fp;
		if (copy_from_user(&fp, (const void *)sc->fpstate, sizeof fp))
			return false;
		/* Reserved MXCSR bits would make fxrstor fault: Linux drops them. */
		fp.mxcsr &= fpu_mxcsr_mask();
		if (fp.magic == X86_FXSR_MAGIC || fp.magic == X86_FSAVE_MAGIC)
			fxsave_from_fsave(&fp);
		memcpy(current->fpu, fp.fxsr_env, FXSAVE_SIZE);
		fpu_restore(current);
		fpu_drop_stash(current);
	} else if (altmm) {
		fpu_unstash(current);	/* a lean frame: the registers as the guest left them */
	} else {
		fpu_task_init(current);	/* Linux: no FPU state in the frame resets it */
	}
	tf->gs = sc->gs;
	tf->fs = sc->fs;
	tf->es = sc->es;
	tf->ds = sc->ds;
	tf->edi = sc->edi;
	tf->esi = sc->esi;
	tf->ebp = sc->ebp;
	tf->user_esp = sc->esp;
	tf->ebx = sc->ebx;
	tf->edx = sc->edx;
	tf->ecx = sc->ecx;
	tf->eax = sc->eax;
	tf->eip = sc->eip;
	tf->cs = sc->cs | 3u;
	tf->user_ss = sc->ss | 3u;
	tf->eflags = (tf->eflags & ~SIGRETURN_EFLAGS) | (sc->eflags & SIGRETURN_EFLAGS);
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
