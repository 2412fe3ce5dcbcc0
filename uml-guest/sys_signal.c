/*
 * The signal system calls of guest processes: actions, masks, sending,
 * waiting, the alternate stack.  signal.c acts on what these record;
 * itimer.c has the timers.
 */
#include "uml.h"
#include "sys.h"
#include <string.h>
#include <uapi/time.h>

#define BIT(sig)        (1ull << ((sig) - 1))
#define UNBLOCKABLE     (BIT(SIGKILL) | BIT(SIGSTOP))
#define KNOWN_SA_FLAGS  (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
                         SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

/* Linux's do_sigaction: *act (if any) becomes sig's action, the old one
 * going to *old (if any); 0 or -EINVAL. */
static long set_action(struct proc *p, int sig, struct kernel_sigaction *act,
                       struct kernel_sigaction *old)
{
	if (sig < 1 || sig > 64 || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (old)
		*old = p->action[sig - 1];
	if (!act)
		return 0;
	act->sa_flags &= KNOWN_SA_FLAGS;        /* unknown flags read back as 0, as on Linux */
	act->sa_mask &= ~UNBLOCKABLE;
	p->action[sig - 1] = *act;
	sig_discard(p, sig);
	return 0;
}

long sys_rt_sigaction(struct proc *p, int sig, uint32_t uact, uint32_t uold, uint32_t size)
{
	struct kernel_sigaction act, old;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > 64 || (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (uact && copy_from_user(p, &act, uact, sizeof act))
		return -EFAULT;
	if (uold && copy_to_user(p, uold, &p->action[sig - 1], sizeof act))
		return -EFAULT;
	return set_action(p, sig, uact ? &act : NULL, &old);
}

/* The old sigaction (67): struct old_sigaction, whose mask is signals
 * 1..32.  Linux's order: the new action is read, set, then the old one
 * written. */
long sys_sigaction(struct proc *p, int sig, uint32_t uact, uint32_t uold)
{
	struct old_sigaction a;
	struct kernel_sigaction act, old;
	if (uact) {
		if (copy_from_user(p, &a, uact, sizeof a))
			return -EFAULT;
		act = (struct kernel_sigaction){ .sa_handler = a.sa_handler, .sa_flags = a.sa_flags,
		                                 .sa_restorer = a.sa_restorer, .sa_mask = a.sa_mask };
	}
	long err = set_action(p, sig, uact ? &act : NULL, &old);
	if (err || !uold)
		return err;
	a = (struct old_sigaction){ .sa_handler = old.sa_handler, .sa_mask = (old_sigset_t)old.sa_mask,
	                            .sa_flags = old.sa_flags, .sa_restorer = old.sa_restorer };
	return copy_to_user(p, uold, &a, sizeof a) ? -EFAULT : 0;
}

/* signal (48): a handler that is reset when caught and does not block its
 * own signal (SA_RESETHAND | SA_NODEFER, no mask); returns the old one. */
long sys_signal(struct proc *p, int sig, uint32_t handler)
{
	struct kernel_sigaction act = { .sa_flags = SA_RESETHAND | SA_NODEFER }, old;
	act.sa_handler = (__typeof__(act.sa_handler))handler;
	long err = set_action(p, sig, &act, &old);
	return err ? err : (long)(uint32_t)old.sa_handler;
}

long sys_rt_sigprocmask(struct proc *p, int how, uint32_t uset, uint32_t uold, uint32_t size)
{
	uint64_t set;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (uset && copy_from_user(p, &set, uset, sizeof set))
		return -EFAULT;
	if (uset && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (uold && copy_to_user(p, uold, &p->blocked, sizeof p->blocked))
		return -EFAULT;
	if (!uset)
		return 0;
	if (how == SIG_BLOCK)
		p->blocked |= set;
	else if (how == SIG_UNBLOCK)
		p->blocked &= ~set;
	else
		p->blocked = set;
	p->blocked &= ~UNBLOCKABLE;
	return 0;
}

/* The old sigprocmask (126): signals 1..32; SIG_SETMASK keeps the others. */
long sys_sigprocmask(struct proc *p, int how, uint32_t uset, uint32_t uold)
{
	uint32_t set, old = (uint32_t)p->blocked;
	if (uset) {
		if (copy_from_user(p, &set, uset, sizeof set))
			return -EFAULT;
		if (how == SIG_BLOCK)
			p->blocked |= set;
		else if (how == SIG_UNBLOCK)
			p->blocked &= ~(uint64_t)set;
		else if (how == SIG_SETMASK)
			p->blocked = (p->blocked & ~0xffffffffull) | set;
		else
			return -EINVAL;
		p->blocked &= ~UNBLOCKABLE;
	}
	return uold && copy_to_user(p, uold, &old, sizeof old) ? -EFAULT : 0;
}

/* The old sigpending (73): signals 1..32. */
long sys_sigpending(struct proc *p, uint32_t uset)
{
	uint32_t set = (uint32_t)((p->sig_thread.set | p->sig_process.set) & p->blocked);
	return copy_to_user(p, uset, &set, sizeof set) ? -EFAULT : 0;
}

long sys_rt_sigpending(struct proc *p, uint32_t uset, uint32_t size)
{
	uint64_t set = (p->sig_thread.set | p->sig_process.set) & p->blocked;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	return copy_to_user(p, uset, &set, sizeof set);
}

/* Sleep with another mask until a signal is delivered; the frame of its
 * handler restores the old mask (signal.c, saved_mask). */
static long suspend_with(struct proc *p, uint64_t mask)
{
	p->saved_mask = p->blocked;
	p->has_saved_mask = 1;
	p->blocked = mask & ~UNBLOCKABLE;
	return sig_pending(p) ? -EINTR : sched_block(p, &p->blocked, 1);
}

long sys_rt_sigsuspend(struct proc *p, uint32_t umask, uint32_t size)
{
	uint64_t mask;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (p->has_saved_mask)                  /* a re-run: the mask is in place */
		return sig_pending(p) ? -EINTR : sched_block(p, &p->blocked, 1);
	if (copy_from_user(p, &mask, umask, sizeof mask))
		return -EFAULT;
	return suspend_with(p, mask);
}

/* The old sigsuspend (72): (unused, unused, mask) on i386.  The mask is
 * the whole mask for the wait: signals 33..64 are not blocked during it
 * (Linux's siginitset), unlike the old sigprocmask, which keeps them. */
long sys_sigsuspend(struct proc *p, uint32_t mask)
{
	if (p->has_saved_mask)
		return sig_pending(p) ? -EINTR : sched_block(p, &p->blocked, 1);
	return suspend_with(p, mask);
}

long sys_pause(struct proc *p)
{
	if (sig_pending(p))
		return -EINTR;
	return sched_block(p, &p->blocked, 1);
}

/* rt_sigtimedwait: take one of set's signals (normally blocked ones). */
long sys_rt_sigtimedwait(struct proc *p, uint32_t uset, uint32_t uinfo, uint32_t utimeout, uint32_t size,
                         int time64)
{
	uint64_t set;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (copy_from_user(p, &set, uset, sizeof set))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	int zero = 0;                           /* a timeout of 0: do not wait */
	if (!p->sigwait && utimeout) {          /* the first run: the timeout, as Linux checks it */
		struct kernel_timespec64 ts;     /* time64: only tv_nsec's low word counts */
		struct timespec t32;
		if (time64 ? copy_from_user(p, &ts, utimeout, sizeof ts)
		           : copy_from_user(p, &t32, utimeout, sizeof t32))
			return -EFAULT;
		if (!time64)
			ts = (struct kernel_timespec64){ t32.tv_sec, t32.tv_nsec };
		ts.tv_nsec = (int32_t)ts.tv_nsec;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		zero = !ts.tv_sec && !ts.tv_nsec;
		uint64_t ns = ts.tv_sec > INT64_MAX / 1000000000 - 1 ? (uint64_t)INT64_MAX
		            : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		p->wake_at = now_ns() + ns;
	}
	siginfo_t info;
	int sig = sig_dequeue(p, set, &info);
	if (sig) {
		p->sigwait = 0;
		p->wake_at = 0;
		if (uinfo && copy_to_user(p, uinfo, &info, sizeof info))
			return -EFAULT;
		return sig;
	}
	if (zero || (p->sigwait && p->wake_at && now_ns() >= p->wake_at)) {
		p->sigwait = 0;
		p->wake_at = 0;
		return -EAGAIN;                 /* timed out */
	}
	if (sig_pending(p)) {
		p->sigwait = 0;
		p->wake_at = 0;
		return -EINTR;
	}
	p->sigwait = set;
	return sched_block(p, &p->sigwait, 1);
}

static void user_info(siginfo_t *info, struct proc *from, int sig, int code)
{
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = from->pid;
	info->si_uid = from->uid;
}

/* As the host's (kernel/signal_syscalls.c): itself, root anyone, others
 * a process whose real or saved uid is the sender's real or effective
 * uid; SIGCONT anywhere in the session. */
static int may_signal(const struct proc *p, const struct proc *t, int sig)
{
	if (t == p || p->euid == 0)
		return 1;
	if (p->euid == t->suid || p->euid == t->uid || p->uid == t->suid || p->uid == t->uid)
		return 1;
	return sig == SIGCONT && t->sid == p->sid;
}

long sys_kill(struct proc *p, int pid, int sig)
{
	siginfo_t info;
	int found = 0, bad = sig < 0 || sig > 64;   /* looked at once a target is found */
	int denied = 0, sent = 0;
	user_info(&info, p, sig, SI_USER);
	for (int i = 0; i < proc_slots; i++) {
		struct proc *t = procs[i];
		if (t->state == P_FREE || t->state == P_ZOMBIE)
			continue;
		int match = pid > 0 ? t->pid == pid
		          : pid == 0 ? t->pgid == p->pgid
		          : pid == -1 ? t->pid != 1 && t != p
		          : t->pgid == -pid;
		if (!match)
			continue;
		found = 1;
		if (bad)
			return -EINVAL;
		if (!may_signal(p, t, sig)) {
			denied = 1;
			continue;
		}
		sent = 1;
		if (sig)
			sig_send(t, sig, &info);        /* (init is immune to what it does not catch) */
	}
	if (pid == -1)                          /* its EPERMs do not count, as Linux */
		return !found && bad ? -EINVAL : 0;
	if (!found)
		return -ESRCH;
	return denied && !sent ? -EPERM : 0;
}

long sys_tgkill(struct proc *p, int tgid, int tid, int sig)
{
	siginfo_t info;
	struct proc *t = proc_find(tid);
	if (sig < 0 || sig > 64 || tid <= 0 || (tgid != -1 && tgid <= 0))
		return -EINVAL;
	if (!t || t->state == P_ZOMBIE || (tgid != -1 && tgid != tid))
		return -ESRCH;
	if (!may_signal(p, t, sig))
		return -EPERM;
	user_info(&info, p, sig, SI_TKILL);
	if (sig)
		sig_send_thread(t, sig, &info);
	return 0;
}

long sys_sigaltstack(struct proc *p, uint32_t uss, uint32_t uold)
{
	stack_t ss, old = p->altstack;
	int on = !(old.ss_flags & SS_DISABLE) && p->regs.esp > (uint32_t)old.ss_sp &&
	         p->regs.esp <= (uint32_t)old.ss_sp + old.ss_size;
	if (on)
		old.ss_flags |= SS_ONSTACK;
	if (uss) {
		if (copy_from_user(p, &ss, uss, sizeof ss))
			return -EFAULT;
		if (on)
			return -EPERM;
		int flags = ss.ss_flags & ~SS_AUTODISARM;
		if (flags != 0 && flags != SS_DISABLE && flags != SS_ONSTACK)
			return -EINVAL;
		if (flags == SS_DISABLE) {
			memset(&ss, 0, sizeof ss);
			ss.ss_flags = SS_DISABLE;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		} else {
			ss.ss_flags = 0;
		}
	}
	if (uold && copy_to_user(p, uold, &old, sizeof old))
		return -EFAULT;
	if (uss)
		p->altstack = ss;
	return 0;
}
