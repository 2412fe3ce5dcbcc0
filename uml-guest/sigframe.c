/*
 * Signal frames of guest processes, built in their own memory, exactly
 * as Linux i386 builds them (<uapi/signal.h> draws both kinds): the same
 * binaries' handlers and restorers must work unchanged inside the guest.
 *
 * It is the same thing the host does to us, one level down: registers
 * and FPU state saved on the process's stack, the registers pointed at
 * its handler, and rt_sigreturn (a system call, so a SIGSYS to us)
 * reading them back.  The host's frames are host frames; these are
 * frames in guest memory, written through copy_to_user.
 */
#include "uml.h"
#include "sys.h"
#include <string.h>

#define BIT(sig)        (1ull << ((sig) - 1))
#define UNBLOCKABLE     (BIT(SIGKILL) | BIT(SIGSTOP))

static int on_altstack(struct proc *p, uint32_t sp)
{
	uint32_t base = (uint32_t)p->altstack.ss_sp;
	return !(p->altstack.ss_flags & SS_DISABLE) && sp > base && sp <= base + p->altstack.ss_size;
}

/* Where frames go: the alternate stack with SA_ONSTACK (unless already on it). */
static uint32_t frame_stack(struct proc *p, const struct kernel_sigaction *ka)
{
	uint32_t sp = p->regs.esp;
	if ((ka->sa_flags & SA_ONSTACK) && !(p->altstack.ss_flags & SS_DISABLE) &&
	    p->altstack.ss_size && !on_altstack(p, sp))
		sp = (uint32_t)p->altstack.ss_sp + p->altstack.ss_size;
	return sp;
}

int sigframe_setup(struct proc *p, int sig, const struct kernel_sigaction *ka,
                   const siginfo_t *info, uint64_t old_blocked)
{
	int rt = ka->sa_flags & SA_SIGINFO;
	uint32_t sp = frame_stack(p, ka);
	/* The FPU state: a 64-byte aligned fxsave image, the fsave part below. */
	uint32_t fpstate = ((sp - FXSAVE_SIZE) & ~63u) - FPSTATE_FSAVE_SIZE;
	uint32_t size = rt ? sizeof(struct rt_sigframe) : sizeof(struct sigframe);
	uint32_t frame = ((fpstate - size + 4) & ~15u) - 4;     /* (esp + 4) % 16 == 0 */
	uint32_t restorer = (ka->sa_flags & SA_RESTORER) ? (uint32_t)ka->sa_restorer : 0;

	struct sigcontext sc = p->regs;
	sc.fpstate = fpstate;
	sc.oldmask = (uint32_t)old_blocked;
	if (copy_to_user(p, fpstate, &p->fpu, sizeof p->fpu))
		return -EFAULT;

	if (rt) {
		static const uint8_t retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
		struct rt_sigframe f;
		memset(&f, 0, sizeof f);
		/* No vDSO: without a restorer, return through retcode in the frame. */
		f.pretcode = restorer ? restorer : frame + offsetof(struct rt_sigframe, retcode);
		f.sig = sig;
		f.pinfo = frame + offsetof(struct rt_sigframe, info);
		f.puc = frame + offsetof(struct rt_sigframe, uc);
		f.info = *info;
		f.uc.uc_stack = p->altstack;    /* the settings, not whether we are on it */
		f.uc.uc_mcontext = sc;
		f.uc.uc_sigmask = old_blocked;
		memcpy(f.retcode, retcode, sizeof retcode);
		if (copy_to_user(p, frame, &f, sizeof f))
			return -EFAULT;
		p->regs.edx = f.pinfo;
		p->regs.ecx = f.puc;
	} else {
		static const uint8_t retcode[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
		static struct sigframe f;
		memset(&f, 0, sizeof f);
		f.pretcode = restorer ? restorer : frame + offsetof(struct sigframe, retcode);
		f.sig = sig;
		f.sc = sc;
		f.extramask[0] = (uint32_t)(old_blocked >> 32);
		memcpy(f.retcode, retcode, sizeof retcode);
		if (copy_to_user(p, frame, &f, sizeof f))
			return -EFAULT;
		p->regs.edx = p->regs.ecx = 0;
	}
	p->regs.esp = frame;
	p->regs.eip = (uint32_t)ka->sa_handler;
	p->regs.eax = sig;
	p->regs.eflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_RF);
	p->regs.cs = home_regs.cs;
	p->regs.ss = p->regs.ds = p->regs.es = home_regs.ds;
	fpu_initial(&p->fpu);                   /* handlers start with a clean FPU */
	p->fpu_changed = p->fpu_clean = 1;
	return 0;
}

/* A signal about a bad frame, as Linux sends it. */
static void bad_frame(struct proc *p, int sig, int code)
{
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = code;
	sig_force(p, sig, &info);
}

/*
 * Take back the registers a frame holds (a handler may have edited them),
 * as Linux does: only the flags a program may set come from the frame,
 * cs and ss get RPL 3, and the rest is left to the CPU when the host
 * enters the process (trap.c): a data selector it may not hold becomes 0,
 * and a code or stack segment it cannot use makes the entry fail, which
 * the host reports to us as the process's SIGILL, ILL_BADSTK, trap 32,
 * the frame it was tried with in hand, which we pass on (fault.c), as
 * Linux reports its own failed return.  An unreadable FPU state is a bad
 * frame, SIGSEGV.
 */
static void restore(struct proc *p, const struct sigcontext *sc, uint64_t mask)
{
	uint32_t eflags = p->regs.eflags;
	p->regs = *sc;
	p->regs.eflags = (eflags & ~SIGRETURN_EFLAGS) | (sc->eflags & SIGRETURN_EFLAGS);
	p->regs.cs = sc->cs | 3u;
	p->regs.ss = sc->ss | 3u;
	p->regs.trapno = p->regs.err = p->regs.cr2 = 0;
	p->blocked = mask & ~UNBLOCKABLE;
	p->fpu_changed = 1;
	p->fpu_clean = 1;
	if (!sc->fpstate) {
		fpu_initial(&p->fpu);           /* no FPU state: a fresh FPU */
	} else if (copy_from_user(p, &p->fpu, sc->fpstate, sizeof p->fpu)) {
		fpu_initial(&p->fpu);
		p->fpu_clean = 1;
		bad_frame(p, SIGSEGV, SI_KERNEL);
		return;
	} else {
		/* Most handlers never touch the FPU: then the state they give
		 * back is the fresh one their frame got, and switching to this
		 * process need not load it (trap.c). */
		p->fpu_clean = fpu_is_initial(&p->fpu);
	}
}

long sys_rt_sigreturn(struct proc *p)
{
	struct rt_sigframe f;
	uint32_t frame = p->regs.esp - 4;       /* the restorer's ret popped pretcode */
	if (copy_from_user(p, &f, frame, sizeof f)) {
		bad_frame(p, SIGSEGV, SI_KERNEL);
		return p->regs.eax;
	}
	/* The alternate stack as uc_stack now says, like sigaltstack would
	 * (its errors ignored): not while running on it, not too small. */
	if (!on_altstack(p, frame)) {
		stack_t *ss = &f.uc.uc_stack;
		if (ss->ss_flags & SS_DISABLE) {
			memset(&p->altstack, 0, sizeof p->altstack);
			p->altstack.ss_flags = SS_DISABLE;
		} else if (ss->ss_size >= MINSIGSTKSZ) {
			p->altstack = *ss;
			p->altstack.ss_flags = 0;
		}
	}
	restore(p, &f.uc.uc_mcontext, f.uc.uc_sigmask);
	return p->regs.eax;                     /* leaves eax as the frame had it */
}

long sys_sigreturn(struct proc *p)
{
	static struct sigframe f;
	uint32_t frame = p->regs.esp - 8;       /* the restorer popped sig and pretcode */
	if (copy_from_user(p, &f, frame, sizeof f)) {
		bad_frame(p, SIGSEGV, SI_KERNEL);
		return p->regs.eax;
	}
	restore(p, &f.sc, (uint64_t)f.extramask[0] << 32 | f.sc.oldmask);
	return p->regs.eax;
}
