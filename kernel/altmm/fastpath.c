/*
 * The guest trap fast path.
 *
 * A guest process's int $0x80 is the trap a user-mode kernel lives by: its
 * cost is the cost of every system call of every guest program; its page
 * faults come next.  The general way (signal.c: altmm_foreign_syscall or
 * force_trap_signal -> altmm_trap -> signal_handle -> altmm_setup_frame ->
 * signal_build_frame) works for any signal, any handler and any state, and
 * pays for it: a siginfo built and copied twice, a frame zeroed and
 * assembled from nothing, a trip through the FPU and stack logic.
 *
 * The usual case is much narrower: the guest kernel's handler for the
 * trap's signal is an SA_IN_MM one in its sigaltmm space, nothing else is
 * pending, the guest has not touched the FPU since it was entered (so the
 * frame is lean), and the frame goes at the top of the sigaltstack.  Then
 * the frame differs from the previous one only in the registers, the
 * blocked set and a few words, so it is kept in a buffer of its own (zero
 * everywhere we do not write, as the general path leaves it), patched,
 * and copied out in one go.
 *
 * The result is exactly the general path's: the same frame, byte for byte
 * (user/tests/altmm_fastpath.c compares them, for a system call and for a
 * fault), the same registers, the same blocked set.  Anything unusual,
 * including a frame that cannot be written, falls back to the general
 * path, which then does what it always does.
 */
#include <kernel/altmm.h>
#include <kernel/mm.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <uapi/altmm.h>

/* The frame being built.  Only deliver_fast writes it, and always the
 * same words: the zeros it never writes stay zero, as in a frame the
 * general path builds. */
static struct altmm_sigframe frame_buf = {
	.uc = { .uc_flags = UC_ALTMM },
	.retcode = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 },	/* rt_sigreturn */
};

/*
 * The frame and registers for the SA_IN_MM handler of signal sig, a trap
 * of the guest the task runs in, without the general machinery.  The
 * siginfo is sig, code and the three words after si_code (w0..w2: the
 * kernel's SIGSYS and fault siginfos have nothing else); the current
 * task's trap_nr, trap_err and trap_cr2 are the trap's.  Returns false,
 * having changed nothing, when this is not the usual case.  Inlined into
 * both callers, so that a system call's constants fold away.
 */
static inline __attribute__((always_inline)) bool
deliver_fast(struct trapframe *tf, int sig, int code, uint32_t w0, uint32_t w1, uint32_t w2)
{
	struct task *t = current;
	struct k_sigaction *ka = &t->sig.action[sig - 1];
	struct mm *home = t->altmm_space;
	if ((ka->flags & (SA_IN_MM | SA_RESETHAND)) != SA_IN_MM || ka->handler <= (uint32_t)SIG_IGN ||
	    ka->mm_fd >= 0 || !home || home == t->active_mm || t->sig_work || t->sig.restore_blocked ||
	    (t->sig.blocked & SIGMASK(sig)) || !fpu_guest_untouched(t) || !t->sig.altstack_size)
		return false;
	/* The general path's placement: top of the sigaltstack, (esp + 4) % 16 == 0. */
	uint32_t top = t->sig.altstack_sp + t->sig.altstack_size;
	uint32_t frame = ((top - sizeof(struct altmm_sigframe) + 4) & ~15u) - 4;
	if (frame > top || frame < t->sig.altstack_sp)
		return false;

	struct altmm_sigframe *f = &frame_buf;
	uint64_t old_blocked = t->sig.blocked;
	f->pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : frame + offsetof(struct altmm_sigframe, retcode);
	f->sig = sig;
	f->pinfo = frame + offsetof(struct altmm_sigframe, info);
	f->puc = frame + offsetof(struct altmm_sigframe, uc);
	uint32_t *head = (uint32_t *)&f->info;	/* si_signo, si_errno, si_code, then the union */
	head[0] = (uint32_t)sig;
	head[2] = (uint32_t)code;
	head[3] = w0;
	head[4] = w1;
	head[5] = w2;
	f->uc.uc_stack.ss_sp = (void *)t->sig.altstack_sp;
	f->uc.uc_stack.ss_flags = (int32_t)t->sig.altstack_flags;
	f->uc.uc_stack.ss_size = t->sig.altstack_size;
	signal_save_sigcontext(&f->uc.uc_mcontext, tf, 0, (uint32_t)old_blocked);	/* lean: fpstate 0 */
	f->uc.uc_sigmask = old_blocked;
	f->uc.uc_mm = t->active_mm_fd;

	/* Into the handler's space; the task's reference moves from the guest's
	 * space to it (the descriptor in uc_mm keeps the guest's alive). */
	struct mm *guest = t->active_mm;
	int guest_fd = t->active_mm_fd;
	mm_get(home);
	t->active_mm = home;
	t->active_mm_fd = home == t->mm ? -1 : t->altmm_fd;
	mm_activate(home);
	if (copy_to_user((void *)frame, f, sizeof *f)) {
		t->active_mm = guest;	/* as if never here: the general path decides */
		t->active_mm_fd = guest_fd;
		mm_activate(guest);
		mm_put(home);
		return false;
	}
	mm_put(guest);

	tf->edx = f->pinfo;
	tf->ecx = f->puc;
	signal_enter_handler(tf, sig, ka->handler, frame);
	/* The handler's mask; more blocked can make no signal deliverable, so
	 * sig_work stays 0. */
	t->sig.blocked |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		t->sig.blocked |= SIGMASK(sig);
	t->sig.blocked &= ~SIG_UNBLOCKABLE;
	return true;
}

/* int $0x80 from a foreign space: SIGSYS instead of the call, the usual
 * case straight to the frame, any other the general way (altmm_trap). */
void altmm_foreign_syscall(struct trapframe *tf)
{
	current->trap_nr = T_SYSCALL;
	current->trap_err = 0;
	if (deliver_fast(tf, SIGSYS, SYS_USER_DISPATCH, tf->eip, tf->eax, AUDIT_ARCH_I386))
		return;
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = SIGSYS;
	info.si_code = SYS_USER_DISPATCH;
	info.si_call_addr = (void *)tf->eip;	/* after the int $0x80 */
	info.si_syscall = (int32_t)tf->eax;
	info.si_arch = AUDIT_ARCH_I386;
	altmm_trap(tf, &info);
}

bool altmm_fault_fast(struct trapframe *tf, int sig, int code, uint32_t addr)
{
	return deliver_fast(tf, sig, code, addr, 0, 0);
}
