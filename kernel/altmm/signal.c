/*
 * altmm and signals: the way out of a guest space (a trap becomes a signal
 * whose SA_IN_MM handler runs in the sigaltmm space) and the way back in
 * (rt_sigreturn of a frame whose uc_mm names the guest).
 *
 *   guest:  int $0x80                        (eax = number, args in ebx...)
 *   kernel: altmm_foreign_syscall            SIGSYS, nothing executed
 *           signal_deliver -> altmm_setup_frame
 *                 switch to the sigaltmm space, frame on the sigaltstack,
 *                 uc_mm = the guest's descriptor
 *   host:   SIGSYS handler(sig, info, uc)    looks at uc->uc_mcontext,
 *                                            sets eax, returns
 *           rt_sigreturn -> altmm_sigreturn_lookup / _switch
 *                 back into the space uc_mm names, registers restored
 *   guest:  continues after the int $0x80
 */
#include <kernel/altmm.h>
#include <kernel/fpu.h>
#include <kernel/mm.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <uapi/altmm.h>
#include <uapi/errno.h>

/* Make mm the space the task runs in (taking over the caller's reference). */
static void run_in(struct task *t, struct mm *mm, int fd)
{
	struct mm *old = t->active_mm;
	t->active_mm = mm;
	t->active_mm_fd = mm == t->mm ? -1 : fd;
	if (old != mm)
		mm_activate(mm);
	mm_put(old);
}

void altmm_trap(struct trapframe *tf, const siginfo_t *info)
{
	/* The usual case, a guest kernel's SA_IN_MM handler ready for it and
	 * nothing else pending: go straight to the frame, with no trip through
	 * the pending queue.  (With other signals pending, the queue keeps the
	 * order they are delivered in exactly as it always is.) */
	struct k_sigaction *ka = &current->sig.action[info->si_signo - 1];
	if ((ka->flags & SA_IN_MM) && ka->handler > (uint32_t)SIG_IGN && !current->sig_work &&
	    !(current->sig.blocked & SIGMASK(info->si_signo)) && !current->sig.restore_blocked) {
		signal_handle(tf, info->si_signo, info, ka);
		return;
	}
	force_signal_info(current, info);
}

uint64_t altmm_deferred_signals(const struct task *t)
{
	if (!altmm_foreign(t))
		return 0;
	uint64_t deferred = 0;
	uint64_t pending = t->sig.pending | t->sig.shared_pending;
	while (pending) {	/* only the pending ones: usually one */
		int sig = __builtin_ctzll(pending) + 1;
		pending &= pending - 1;
		const struct k_sigaction *ka = &t->sig.action[sig - 1];
		if (ka->handler > (uint32_t)SIG_IGN && !(ka->flags & SA_IN_MM))
			deferred |= SIGMASK(sig);
	}
	return deferred;
}

int altmm_setup_frame(struct trapframe *tf, int sig, const siginfo_t *info,
		      const struct k_sigaction *ka, uint64_t old_blocked)
{
	struct task *t = current;
	struct mm *target;
	int target_fd;
	if (ka->mm_fd >= 0) {
		int err;
		target = mm_from_fd(ka->mm_fd, &err);
		target_fd = ka->mm_fd;
		if (!target)
			return -EFAULT;
	} else if (t->altmm_space) {
		target = t->altmm_space;
		target_fd = t->altmm_fd;
		mm_get(target);
	} else {
		target = t->mm;	/* sigaltmm off: the home space */
		target_fd = -1;
		mm_get(target);
	}
	int32_t interrupted_fd = t->active_mm_fd;
	uint32_t sp = tf->user_esp, limit = 0;
	if (target != t->active_mm || (ka->flags & SA_ONSTACK)) {
		/* Another space's stack pointer means nothing here: the sigaltstack. */
		if (!t->sig.altstack_size) {
			mm_put(target);
			return -EFAULT;
		}
		bool on = sp > t->sig.altstack_sp && sp - t->sig.altstack_sp <= t->sig.altstack_size;
		if (target != t->active_mm || !on)
			sp = t->sig.altstack_sp + t->sig.altstack_size;
		limit = t->sig.altstack_sp;
	}
	struct mm *previous = t->active_mm;
	int previous_fd = t->active_mm_fd;
	mm_get(previous);
	run_in(t, target, target_fd);
	int err = signal_build_frame(tf, sig, info, ka, old_blocked, sp, limit, FRAME_ALTMM, interrupted_fd);
	if (err)
		run_in(t, previous, previous_fd);	/* the caller kills the task from where it was */
	else
		mm_put(previous);
	return err;
}

struct mm *altmm_sigreturn_lookup(int32_t uc_mm)
{
	struct task *t = current;
	if (uc_mm == -1) {
		mm_get(t->mm);
		return t->mm;
	}
	int err;
	return mm_from_fd(uc_mm, &err);
}

void altmm_sigreturn_switch(struct mm *space, int32_t uc_mm)
{
	run_in(current, space, uc_mm);
	if (altmm_foreign(current))
		fpu_lazy_arm(current);	/* learn whether the guest uses the FPU */
}

void altmm_fork(struct task *child, const struct task *parent)
{
	/* sigaltmm naming the parent's own space names the child's own. */
	if (!parent->altmm_space)
		return;
	child->altmm_space = parent->altmm_space == parent->mm ? child->mm : parent->altmm_space;
	mm_get(child->altmm_space);
	child->altmm_fd = parent->altmm_fd;
}

void altmm_exec(struct task *t)
{
	altmm_exit(t);
}

void altmm_exit(struct task *t)
{
	if (t->active_mm != t->mm) {
		mm_get(t->mm);
		run_in(t, t->mm, -1);
	}
	if (t->altmm_space)
		mm_put(t->altmm_space);
	t->altmm_space = 0;
	t->altmm_fd = -1;
}
