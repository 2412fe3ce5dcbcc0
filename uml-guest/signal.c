/*
 * Signals to guest processes: sending, and acting on them before a
 * process is entered.
 *
 * These are the guest's own signals, a world apart from the host signals
 * that bring us traps.  A guest process's pending signals, mask and
 * actions live in its slot; a signal is "delivered" by us, just before we
 * enter the process, by building a frame on its stack in its memory
 * (sigframe.c) and pointing its registers at the handler, as a kernel
 * does on the way back to user mode.  The default actions (terminate,
 * ignore, stop) are ours to carry out too.
 *
 * As on Linux there are two pending sets: the thread's (tkill, tgkill,
 * raise, faults, SIGPIPE) and the process's (kill, timers, SIGCHLD); the
 * same signal may be pending in both, and the thread's go first.
 * Real-time signals queue: each one sent is delivered (all with the
 * first one's siginfo, a simplification).
 */
#include "uml.h"
#include "sys.h"
#include <string.h>
#include <uapi/wait.h>

#define BIT(sig)        (1ull << ((sig) - 1))
#define UNBLOCKABLE     (BIT(SIGKILL) | BIT(SIGSTOP))
#define STOP_SIGNALS    (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))

static int default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Would sig be thrown away at once if it came now? */
static int ignored(struct proc *p, int sig)
{
	void (*h)(int) = p->action[sig - 1].sa_handler;
	if (sig == SIGKILL || sig == SIGSTOP)
		return 0;
	return h == SIG_IGN || (h == SIG_DFL && default_ignores(sig));
}

static uint64_t pending(struct proc *p)
{
	return p->sig_thread.set | p->sig_process.set;
}

int sig_pending(struct proc *p)
{
	return (pending(p) & ~(p->blocked & ~UNBLOCKABLE)) != 0;
}

/* The parent hears that c stopped or continued (SIGCHLD, unless it said
 * SA_NOCLDSTOP), and its wait4 may report it. */
static void tell_parent(struct proc *c, int code, int status)
{
	struct proc *parent = proc_find(c->ppid);
	c->wait_report = code;
	if (!parent)
		return;
	if (!(parent->action[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP)) {
		siginfo_t info;
		memset(&info, 0, sizeof info);
		info.si_code = code;
		info.si_pid = c->pid;
		info.si_status = status;
		sig_send(parent, SIGCHLD, &info);
	}
	sched_wake(parent);
}

/* forced: a fault of p's own, which kills even init. */
static void queue(struct proc *p, struct sigqueue *q, int sig, const siginfo_t *info, int forced)
{
	if (p->state == P_FREE || p->state == P_ZOMBIE || sig < 1 || sig > 64)
		return;
	/* init receives only the signals it has handlers for, as on Linux and
	 * the host kernel: nothing another process sends (a kill, a child's
	 * exit signal) can end the guest by accident. */
	if (p->pid == 1 && !forced && p->action[sig - 1].sa_handler == SIG_DFL)
		return;
	/* SIGCONT and SIGKILL continue a stopped process at once, and cancel
	 * stop signals on their way; a stop signal cancels SIGCONTs. */
	if (sig == SIGCONT || sig == SIGKILL) {
		p->sig_thread.set &= ~STOP_SIGNALS;
		p->sig_process.set &= ~STOP_SIGNALS;
		if (p->stopped) {
			p->stopped = 0;
			if (sig == SIGCONT)
				tell_parent(p, CLD_CONTINUED, SIGCONT);
		}
	} else if (BIT(sig) & STOP_SIGNALS) {
		p->sig_thread.set &= ~BIT(SIGCONT);
		p->sig_process.set &= ~BIT(SIGCONT);
	}
	if (ignored(p, sig) && !(p->blocked & BIT(sig)))
		return;                         /* ignored and not blocked: discarded */
	if (q->set & BIT(sig)) {                /* standard signals do not queue */
		if (sig >= SIGRTMIN && q->count[sig - 1] < UINT16_MAX)
			q->count[sig - 1]++;    /* real-time ones do (with the first's info) */
	} else {
		q->count[sig - 1] = 1;
		if (info) {
			q->info[sig - 1] = *info;
		} else {
			memset(&q->info[sig - 1], 0, sizeof q->info[0]);
			q->info[sig - 1].si_code = SI_KERNEL;
		}
		q->info[sig - 1].si_signo = sig;
	}
	q->set |= BIT(sig);
	if (p->state != P_BLOCKED)
		return;
	/* Wake it if the signal interrupts what it waits for. */
	if (sig == SIGKILL)
		sched_wake_proc(p);
	else if (p->rerun && (!(p->blocked & BIT(sig)) || (p->sigwait & BIT(sig))))
		sched_wake_proc(p);
}

void sig_send(struct proc *p, int sig, const siginfo_t *info)
{
	queue(p, &p->sig_process, sig, info, 0);
}

void sig_send_thread(struct proc *p, int sig, const siginfo_t *info)
{
	queue(p, &p->sig_thread, sig, info, 0);
}

/* A synchronous signal (a fault): it cannot be blocked or ignored away;
 * if it is, the default action (death) is what happens, as on Linux. */
void sig_force(struct proc *p, int sig, const siginfo_t *info)
{
	struct kernel_sigaction *ka = &p->action[sig - 1];
	if ((p->blocked & BIT(sig)) || ka->sa_handler == SIG_IGN) {
		ka->sa_handler = SIG_DFL;
		p->blocked &= ~BIT(sig);
	}
	queue(p, &p->sig_thread, sig, info, 1);
}

/* Take the next signal to act on (thread's first, lowest first): its
 * number, with its siginfo copied to info; 0 if none. */
int sig_dequeue(struct proc *p, uint64_t among, siginfo_t *info)
{
	struct sigqueue *qs[2] = { &p->sig_thread, &p->sig_process };
	for (int i = 0; i < 2; i++) {
		uint64_t ready = qs[i]->set & among;
		if (!ready)
			continue;
		int sig = __builtin_ctzll(ready) + 1;
		if (qs[i]->count[sig - 1] > 1)
			qs[i]->count[sig - 1]--;
		else
			qs[i]->set &= ~BIT(sig);
		*info = qs[i]->info[sig - 1];
		return sig;
	}
	return 0;
}

/* A system call cut short by a signal (-ERESTARTSYS): run it again after
 * the handler when it has SA_RESTART (or when no handler runs at all),
 * else it fails with EINTR.  Running it again is just going back over
 * the 2-byte int $0x80 with the call number in eax. */
static void restart_syscall(struct proc *p, const struct kernel_sigaction *ka)
{
	if (!p->syscall_restartable)
		return;
	p->syscall_restartable = 0;
	if (ka && !(ka->sa_flags & SA_RESTART)) {
		p->regs.eax = -EINTR;
	} else {
		p->regs.eax = p->orig_eax;
		p->regs.eip -= 2;
	}
}

/*
 * Just before p is entered: act on its pending, unblocked signals.  Each
 * handler gets a frame on top of the last one (so the last one's handler
 * runs first, as on Linux).  Returns 0 if p cannot run after all: it was
 * killed or stopped.
 */
int sig_deliver(struct proc *p)
{
	siginfo_t info;
	int sig;
	if (sig_quiet(p))
		return 1;                       /* the usual case: nothing to do */
	while ((sig = sig_dequeue(p, ~(p->blocked & ~UNBLOCKABLE), &info))) {
		struct kernel_sigaction *ka = &p->action[sig - 1];
		if (sig != SIGKILL && sig != SIGSTOP && ka->sa_handler == SIG_IGN)
			continue;
		if (sig == SIGKILL || sig == SIGSTOP || ka->sa_handler == SIG_DFL) {
			if (default_ignores(sig))
				continue;
			restart_syscall(p, NULL);
			if (BIT(sig) & STOP_SIGNALS) {
				p->stopped = 1;
				p->stop_sig = sig;
				tell_parent(p, CLD_STOPPED, sig);
				return 0;
			}
			if (debug)
				klog("pid %d (%s) killed by signal %d at eip %#x (trap %u, err %#x, cr2 %#x)",
				     p->pid, p->comm, sig, p->regs.eip, p->regs.trapno, p->regs.err,
				     p->regs.cr2);
			proc_exit(p, W_EXITCODE(0, sig));       /* terminate */
			return 0;
		}
		restart_syscall(p, ka);
		uint64_t old = p->has_saved_mask ? p->saved_mask : p->blocked;
		p->has_saved_mask = 0;
		if (sigframe_setup(p, sig, ka, &info, old) < 0) {
			proc_exit(p, W_EXITCODE(0, SIGSEGV));   /* no room for a frame */
			return 0;
		}
		p->blocked |= ka->sa_mask;
		if (!(ka->sa_flags & SA_NODEFER))
			p->blocked |= BIT(sig);
		p->blocked &= ~UNBLOCKABLE;
		if (ka->sa_flags & SA_RESETHAND)
			ka->sa_handler = SIG_DFL;       /* the handler only: the flags stay, as on Linux */
	}
	restart_syscall(p, NULL);               /* interrupted, but no handler ran */
	if (p->has_saved_mask) {                /* sigsuspend ends without a handler */
		p->blocked = p->saved_mask;
		p->has_saved_mask = 0;
	}
	return 1;
}

/* Setting an action that ignores a signal discards it where pending. */
void sig_discard(struct proc *p, int sig)
{
	if (ignored(p, sig)) {
		p->sig_thread.set &= ~BIT(sig);
		p->sig_process.set &= ~BIT(sig);
	}
}

void sig_fork(struct proc *child, struct proc *parent)
{
	memcpy(child->action, parent->action, sizeof child->action);
	child->blocked = parent->blocked;
	child->altstack = parent->altstack;
}

/* exec: caught signals go back to their default; ignored ones stay
 * ignored; the mask and pending signals stay; no alternate stack. */
void sig_exec(struct proc *p)
{
	for (int i = 0; i < 64; i++) {
		if (p->action[i].sa_handler != SIG_IGN)
			p->action[i].sa_handler = SIG_DFL;
		p->action[i].sa_flags = 0;
		p->action[i].sa_mask = 0;
		p->action[i].sa_restorer = 0;
	}
	memset(&p->altstack, 0, sizeof p->altstack);
	p->altstack.ss_flags = SS_DISABLE;
}

/* A child has become a zombie: tell its parent (SIGCHLD, and waking
 * its wait4), or reap it at once if the parent does not want zombies. */
void sig_child_exit(struct proc *c)
{
	struct proc *parent = proc_find(c->ppid);
	if (!parent)
		return;
	struct kernel_sigaction *ka = &parent->action[SIGCHLD - 1];
	int no_zombie = ka->sa_handler == SIG_IGN || (ka->sa_flags & SA_NOCLDWAIT);
	if (c->exit_signal) {
		siginfo_t info;
		memset(&info, 0, sizeof info);
		info.si_code = WIFSIGNALED(c->exit_status) ? CLD_KILLED : CLD_EXITED;
		info.si_pid = c->pid;
		info.si_status = WIFSIGNALED(c->exit_status) ? WTERMSIG(c->exit_status)
		                                             : WEXITSTATUS(c->exit_status);
		sig_send(parent, c->exit_signal, &info);
	}
	if (no_zombie)
		proc_free(c);
	sched_wake(parent);
}
