/*
 * The signal system calls: actions, masks, sending, waiting, and the
 * alternate stack.  Argument checks and errors follow Linux i386.
 */
#include <kernel/altmm.h>
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/cred.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/time.h>

/* The sa_flags Linux i386 keeps (UAPI_SA_FLAGS), and ours; others read back as 0. */
#if ALTMM
#define SA_OURS SA_IN_MM
#else
#define SA_OURS 0
#endif
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
		  SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER | SA_OURS)

static bool valid_signal(int sig) { return sig >= 1 && sig <= NSIG; }

/* Setting a signal to be ignored drops any instance already pending. */
static void flush_if_ignored(struct task *t, int sig)
{
	struct k_sigaction *ka = &t->sig.action[sig - 1];
	if (ka->handler == (uint32_t)SIG_IGN ||
	    (ka->handler == (uint32_t)SIG_DFL && signal_default_ignored(sig)))
		signal_discard(t, sig);
}

static long do_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
	if (!valid_signal(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct k_sigaction *ka = &current->sig.action[sig - 1];
	if (old)
		*old = *ka;
	if (act) {
		*ka = *act;
		ka->flags &= SA_KNOWN;	/* unknown bits read back clear, as Linux */
		ka->mask &= ~SIG_UNBLOCKABLE;
		flush_if_ignored(current, sig);
	}
	return 0;
}

/*
 * rt_sigaction.  With SA_IN_MM (altmm) the struct is followed by sa_mm
 * (struct kernel_sigaction_mm), read from act and written to oldact only
 * when the flag is set; SA_IN_MM needs SA_SIGINFO.
 */
static long sys_rt_sigaction(int sig, const struct kernel_sigaction __user *uact,
			     struct kernel_sigaction __user *uold, uint32_t sigsetsize)
{
	if (sigsetsize != KERNEL_SIGSET_SIZE)
		return -EINVAL;
	struct kernel_sigaction_mm a;
	struct k_sigaction act, old;
	if (uact) {
		if (copy_from_user(&a.sa, uact, sizeof a.sa))
			return -EFAULT;
		a.sa_mm = -1;
		if (ALTMM && (a.sa.sa_flags & SA_IN_MM)) {
			if (!(a.sa.sa_flags & SA_SIGINFO))
				return -EINVAL;
			if (copy_from_user(&a.sa_mm, (const uint8_t *)uact + sizeof a.sa, sizeof a.sa_mm))
				return -EFAULT;
		}
		act = (struct k_sigaction){ (uint32_t)a.sa.sa_handler, a.sa.sa_flags, (uint32_t)a.sa.sa_restorer,
					    a.sa.sa_mask, a.sa_mm };
	}
	long err = do_sigaction(sig, uact ? &act : 0, uold ? &old : 0);
	if (err || !uold)
		return err;
	a.sa.sa_handler = (void (*)(int))old.handler;
	a.sa.sa_flags = old.flags;
	a.sa.sa_restorer = (void (*)(void))old.restorer;
	a.sa.sa_mask = old.mask;
	a.sa_mm = old.mm_fd;
	size_t n = (old.flags & SA_IN_MM) ? sizeof a : sizeof a.sa;
	return copy_to_user(uold, &a, n) ? -EFAULT : 0;
}
SYSCALL(rt_sigaction, sys_rt_sigaction);

/* The old sigaction (67): a 32-bit mask. */
static long sys_sigaction(int sig, const struct old_sigaction __user *uact, struct old_sigaction __user *uold)
{
	struct old_sigaction a;
	struct k_sigaction act, old;
	if (uact) {
		if (copy_from_user(&a, uact, sizeof a))
			return -EFAULT;
		act = (struct k_sigaction){ (uint32_t)a.sa_handler, a.sa_flags & ~SA_OURS,
					    (uint32_t)a.sa_restorer, a.sa_mask, -1 };
	}
	long err = do_sigaction(sig, uact ? &act : 0, uold ? &old : 0);
	if (err || !uold)
		return err;
	a.sa_handler = (void (*)(int))old.handler;
	a.sa_mask = (old_sigset_t)old.mask;
	a.sa_flags = old.flags;
	a.sa_restorer = (void (*)(void))old.restorer;
	return copy_to_user(uold, &a, sizeof a) ? -EFAULT : 0;
}
SYSCALL(sigaction, sys_sigaction);

/* signal (48): SA_RESETHAND | SA_NODEFER semantics, returns the old handler. */
static long sys_signal(int sig, uint32_t handler)
{
	struct k_sigaction act = { handler, SA_RESETHAND | SA_NODEFER, 0, 0, -1 }, old;
	long err = do_sigaction(sig, &act, &old);
	return err ? err : (long)old.handler;
}
SYSCALL(signal, sys_signal);

/* ---- masks ---- */

static long change_blocked(int how, const uint64_t *set, uint64_t *old)
{
	struct task *t = current;
	if (old)
		*old = t->sig.blocked;
	if (!set)
		return 0;
	switch (how) {
	case SIG_BLOCK: t->sig.blocked |= *set; break;
	case SIG_UNBLOCK: t->sig.blocked &= ~*set; break;
	case SIG_SETMASK: t->sig.blocked = *set; break;
	default: return -EINVAL;
	}
	t->sig.blocked &= ~SIG_UNBLOCKABLE;
	signal_recalc(t);
	return 0;
}

static long sys_rt_sigprocmask(int how, const uint64_t __user *uset, uint64_t __user *uold, uint32_t size)
{
	uint64_t set, old;
	if (size != KERNEL_SIGSET_SIZE)
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof set))
		return -EFAULT;
	long err = change_blocked(how, uset ? &set : 0, &old);
	if (err)
		return err;
	return uold && copy_to_user(uold, &old, sizeof old) ? -EFAULT : 0;
}
SYSCALL(rt_sigprocmask, sys_rt_sigprocmask);

static long sys_sigprocmask(int how, const uint32_t __user *uset, uint32_t __user *uold)
{
	uint32_t set32;
	uint64_t set, old;
	if (uset) {
		if (copy_from_user(&set32, uset, sizeof set32))
			return -EFAULT;
		/* The old call sees signals 1..32 only: keep the others as they are. */
		uint64_t cur = current->sig.blocked;
		set = how == SIG_SETMASK ? (cur & ~0xFFFFFFFFull) | set32 : set32;
	}
	long err = change_blocked(how, uset ? &set : 0, &old);
	if (err)
		return err;
	uint32_t old32 = (uint32_t)old;
	return uold && copy_to_user(uold, &old32, sizeof old32) ? -EFAULT : 0;
}
SYSCALL(sigprocmask, sys_sigprocmask);

static long sys_rt_sigpending(uint64_t __user *uset, uint32_t size)
{
	if (size > KERNEL_SIGSET_SIZE)
		return -EINVAL;
	uint64_t set = (current->sig.pending | current->sig.shared_pending) & current->sig.blocked;
	return copy_to_user(uset, &set, size) ? -EFAULT : 0;
}
SYSCALL(rt_sigpending, sys_rt_sigpending);

static long sys_sigpending(uint32_t __user *uset)
{
	uint32_t set = (uint32_t)((current->sig.pending | current->sig.shared_pending) & current->sig.blocked);
	return copy_to_user(uset, &set, sizeof set) ? -EFAULT : 0;
}
SYSCALL(sigpending, sys_sigpending);

/* ---- waiting for a signal ---- */

/* Sleep until a signal is delivered (pause, sigsuspend): always -ERESTARTNOHAND,
 * which becomes EINTR once a handler has run. */
static long wait_for_signal(void)
{
	struct waitq nobody = { 0 };
	uint32_t irq = irq_save();
	while (!signal_pending(current))
		sleep_on(&nobody);
	irq_restore(irq);
	return -ERESTARTNOHAND;
}

static long sys_pause(void)
{
	return wait_for_signal();
}
SYSCALL(pause, sys_pause);

static long suspend_with(uint64_t mask)
{
	current->sig.saved_blocked = current->sig.blocked;
	current->sig.restore_blocked = true;	/* the handler's frame saves the old mask */
	current->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	signal_recalc(current);
	wait_for_signal();
	return -ERESTARTNOHAND;
}

static long sys_rt_sigsuspend(const uint64_t __user *umask, uint32_t size)
{
	uint64_t mask;
	if (size != KERNEL_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof mask))
		return -EFAULT;
	return suspend_with(mask);
}
SYSCALL(rt_sigsuspend, sys_rt_sigsuspend);

/* The old sigsuspend (72): (unused, unused, mask) on i386.  The mask is
 * the whole mask for the wait: signals 33..64 are not blocked during it
 * (Linux's siginitset), unlike the old sigprocmask, which keeps them. */
static long sys_sigsuspend(uint32_t unused1, uint32_t unused2, uint32_t mask)
{
	(void)unused1, (void)unused2;
	return suspend_with(mask);
}
SYSCALL(sigsuspend, sys_sigsuspend);

/*
 * rt_sigtimedwait: take a signal of `set` without running its handler.
 * The set's signals are unblocked while we sleep so that they wake us; a
 * signal outside the set that interrupts the wait gives EINTR; the
 * timeout, EAGAIN.
 */
static long do_sigtimedwait(const uint64_t __user *uset, siginfo_t __user *uinfo, uint32_t size,
			    bool has_timeout, int64_t sec, int64_t nsec)
{
	uint64_t set;
	if (size != KERNEL_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof set))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (has_timeout && (sec < 0 || nsec < 0 || nsec >= 1000000000))
		return -EINVAL;
	struct task *t = current;
	uint64_t deadline = 0;
	if (has_timeout)
		deadline = timer_ticks() + (uint64_t)sec * TIMER_HZ +
			   ((uint64_t)nsec * TIMER_HZ + 999999999) / 1000000000;
	siginfo_t info;
	uint32_t irq = irq_save();
	int sig = signal_dequeue(t, set, &info);
	if (!sig && (!has_timeout || deadline > timer_ticks())) {
		uint64_t saved = t->sig.blocked;
		t->sig.blocked &= ~set;
		signal_recalc(t);
		struct waitq nobody = { 0 };
		if (!signal_pending(t))
			sleep_on_until(&nobody, has_timeout ? deadline + 1 : 0);
		t->sig.blocked = saved;
		signal_recalc(t);
		sig = signal_dequeue(t, set, &info);
	}
	irq_restore(irq);
	if (!sig)
		return signal_pending(t) ? -EINTR : -EAGAIN;
	if (uinfo && copy_to_user(uinfo, &info, sizeof info))
		return -EFAULT;
	return sig;
}

static long sys_rt_sigtimedwait(const uint64_t __user *uset, siginfo_t __user *uinfo,
				const struct timespec __user *uts, uint32_t size)
{
	struct timespec ts = { 0, 0 };
	if (uts && copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	return do_sigtimedwait(uset, uinfo, size, uts != 0, ts.tv_sec, ts.tv_nsec);
}
SYSCALL(rt_sigtimedwait, sys_rt_sigtimedwait);

static long sys_rt_sigtimedwait_time64(const uint64_t __user *uset, siginfo_t __user *uinfo,
				       const struct kernel_timespec64 __user *uts, uint32_t size)
{
	struct kernel_timespec64 ts = { 0, 0 };
	if (uts && copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	return do_sigtimedwait(uset, uinfo, size, uts != 0, ts.tv_sec, (int32_t)ts.tv_nsec);
}
SYSCALL(rt_sigtimedwait_time64, sys_rt_sigtimedwait_time64);

/* ---- sending ---- */

static void user_info(siginfo_t *info, int sig, int code)
{
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = current->pid;
	info->si_uid = current->uid;	/* the sender's real uid */
}

/* Linux's check_kill_permission: a process may signal itself, and root
 * (CAP_KILL) anyone; others only a process whose real or saved uid is the
 * sender's real or effective uid; SIGCONT goes anywhere in the session. */
static bool may_signal(const struct task *t, int sig)
{
	if (t == current || cred_capable(current))
		return true;
	if (current->euid == t->suid || current->euid == t->uid ||
	    current->uid == t->suid || current->uid == t->uid)
		return true;
	return sig == SIGCONT && t->sid == current->sid;
}

/*
 * Linux's order of checks: the target first (-ESRCH), then the signal
 * number (-EINVAL), then the permission (-EPERM), so kill(gone_pid, 65)
 * is ESRCH.  Signal 0 only checks.
 */
static long kill_one(struct task *t, int sig, int code, bool shared)
{
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!may_signal(t, sig))
		return -EPERM;
	if (!sig)
		return 0;
	siginfo_t info;
	user_info(&info, sig, code);
	return shared ? send_signal_process(t, sig, &info) : send_signal(t, sig, &info);
}

/* pid 0: our group; pid < -1: group -pid; pid -1: all but init and us.
 * As Linux: a group is 0 if any member took the signal, else the last
 * error; -1 ignores the EPERMs (0 if it found anyone at all, and see
 * below if not). */
static long kill_many(int pid, int sig)
{
	int pgrp = pid == 0 ? current->pgid : -pid;
	long ret = pid == -1 ? 0 : -ESRCH;
	bool found = false, success = false;
	for (struct task *t = task_list(); t; t = t->all_next) {
		if (t->state == TASK_ZOMBIE)
			continue;
		if (pid == -1 ? (t->pid == 1 || t == current) : t->pgid != pgrp)
			continue;
		found = true;
		long r = kill_one(t, sig, SI_USER, true);
		success |= r == 0;
		if (pid != -1 || r != -EPERM)
			ret = r;
	}
	/* Linux always has its kernel threads (kthreadd is pid 2), which
	 * kill(-1) counts too: alone with init, the caller gets 0, or EINVAL
	 * for a bad number, never ESRCH.  So here. */
	if (!found && pid == -1)
		return sig < 0 || sig > NSIG ? -EINVAL : 0;
	if (!found)
		return -ESRCH;
	return pid != -1 && success ? 0 : ret;
}

static long sys_kill(int pid, int sig)
{
	if (pid > 0)
		return kill_one(task_find(pid), sig, SI_USER, true);
	if (pid == -2147483647 - 1)
		return -ESRCH;
	return kill_many(pid, sig);
}
SYSCALL(kill, sys_kill);

static long sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return kill_one(task_find(tid), sig, SI_TKILL, false);
}
SYSCALL(tkill, sys_tkill);

static long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *t = task_find(tid);
	if (t && t->pid != tgid)	/* one thread per process: tgid is the pid */
		t = 0;
	return kill_one(t, sig, SI_TKILL, false);
}
SYSCALL(tgkill, sys_tgkill);

/* ---- the alternate signal stack ---- */

/* Set the alternate stack to *ss (sp: the caller's stack pointer).  0 or -errno. */
int altstack_set(const stack_t *ss, uint32_t sp)
{
	struct task *t = current;
	if (t->sig.altstack_size && sp > t->sig.altstack_sp && sp - t->sig.altstack_sp <= t->sig.altstack_size)
		return -EPERM;	/* cannot change it while running on it */
	uint32_t flags = (uint32_t)ss->ss_flags;
	if (flags != 0 && flags != SS_DISABLE && flags != SS_ONSTACK)
		return -EINVAL;
	if (flags == SS_DISABLE) {
		t->sig.altstack_sp = t->sig.altstack_size = 0;
		t->sig.altstack_flags = SS_DISABLE;
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->sig.altstack_sp = (uint32_t)ss->ss_sp;
	t->sig.altstack_size = ss->ss_size;
	t->sig.altstack_flags = 0;
	return 0;
}

static long sys_sigaltstack(const stack_t __user *uss, stack_t __user *uold)
{
	struct task *t = current;
	uint32_t sp = task_trapframe(t)->user_esp;
	stack_t old = { (void *)t->sig.altstack_sp, 0, t->sig.altstack_size };
	if (!t->sig.altstack_size)
		old.ss_flags = SS_DISABLE;
	else if (sp > t->sig.altstack_sp && sp - t->sig.altstack_sp <= t->sig.altstack_size)
		old.ss_flags = SS_ONSTACK;
	if (uss) {
		stack_t ss;
		if (copy_from_user(&ss, uss, sizeof ss))
			return -EFAULT;
		long err = altstack_set(&ss, sp);
		if (err)
			return err;
	}
	return uold && copy_to_user(uold, &old, sizeof old) ? -EFAULT : 0;
}
SYSCALL(sigaltstack, sys_sigaltstack);
