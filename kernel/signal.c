/*
 * Signals: sending, pending and blocked sets, and delivery on the way back
 * to user mode (see <kernel/signal.h>).  The frame a handler runs on is
 * built by kernel/arch/x86/signal_frame.c; the system calls are in
 * kernel/signal_syscalls.c.
 *
 * Standard signals (1-31) are pending at most once: a second one sent
 * while the first waits is merged into it, as in Linux.  Real-time
 * signals (32-64) queue, each with its own siginfo.
 */
#include <kernel/altmm.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/x86.h>
#include <uapi/errno.h>
#include <uapi/wait.h>

__attribute__((noreturn)) void do_exit(int status);

enum default_action { ACT_TERMINATE, ACT_IGNORE, ACT_STOP, ACT_CONTINUE };

static enum default_action default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return ACT_IGNORE;
	case SIGCONT:
		return ACT_CONTINUE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return ACT_STOP;
	default:
		return ACT_TERMINATE;	/* core-dumping signals too: no core files here */
	}
}

bool signal_pending(const struct task *t)
{
	return ((t->sig.pending | t->sig.shared_pending) & ~t->sig.blocked) != 0;
}

void signal_task_init(struct task *t)
{
	memset(&t->sig, 0, sizeof t->sig);
	for (int i = 0; i < NSIG; i++)
		t->sig.action[i].mm_fd = -1;
	t->sig.altstack_flags = SS_DISABLE;
	t->sig_work = 0;
}

void signal_fork(struct task *child, const struct task *parent)
{
	signal_task_init(child);
	memcpy(child->sig.action, parent->sig.action, sizeof child->sig.action);
	child->sig.blocked = parent->sig.blocked;	/* pending signals are not inherited */
	child->sig.altstack_sp = parent->sig.altstack_sp;
	child->sig.altstack_size = parent->sig.altstack_size;
	child->sig.altstack_flags = parent->sig.altstack_flags;
}

void signal_exec(struct task *t)
{
	/* Caught signals go back to their default; ignored ones stay ignored. */
	for (int i = 0; i < NSIG; i++) {
		struct k_sigaction *ka = &t->sig.action[i];
		if (ka->handler != (uint32_t)SIG_IGN)
			ka->handler = (uint32_t)SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
		ka->mm_fd = -1;
	}
	t->sig.altstack_sp = t->sig.altstack_size = 0;
	t->sig.altstack_flags = SS_DISABLE;
}

static struct sigqueue *sigqueue_alloc(struct task *t)
{
	if (!t->sig.spare_used) {
		t->sig.spare_used = true;
		memset(&t->sig.spare, 0, sizeof t->sig.spare);
		return &t->sig.spare;
	}
	return kzalloc(sizeof(struct sigqueue));
}

static void sigqueue_free(struct task *t, struct sigqueue *q)
{
	if (q == &t->sig.spare)
		t->sig.spare_used = false;
	else
		kfree(q);
}

void signal_task_free(struct task *t)
{
	while (t->sig.queue) {
		struct sigqueue *q = t->sig.queue;
		t->sig.queue = q->next;
		sigqueue_free(t, q);
	}
	t->sig.pending = t->sig.shared_pending = 0;
}

bool signal_default_ignored(int sig)
{
	return default_action(sig) == ACT_IGNORE || sig == SIGCONT;
}

void signal_discard(struct task *t, int sig)
{
	uint32_t irq = irq_save();
	for (struct sigqueue **p = &t->sig.queue; *p;) {
		struct sigqueue *q = *p;
		if (q->info.si_signo == sig) {
			*p = q->next;
			sigqueue_free(t, q);
		} else {
			p = &q->next;
		}
	}
	t->sig.pending &= ~SIGMASK(sig);
	t->sig.shared_pending &= ~SIGMASK(sig);
	signal_recalc(t);
	irq_restore(irq);
}

/* Would the signal be dropped on arrival?  (Ignored, and not blocked:
 * a blocked ignored signal stays pending, as POSIX says.)  init, pid 1,
 * receives only the signals it has handlers for, as on Linux: nothing
 * sent to it can kill the whole system by accident. */
static bool ignored_now(const struct task *t, int sig, bool forced)
{
	const struct k_sigaction *ka = &t->sig.action[sig - 1];
	if (t->pid == 1 && !forced && ka->handler == (uint32_t)SIG_DFL)
		return true;
	if (t->sig.blocked & SIGMASK(sig))
		return false;
	return ka->handler == (uint32_t)SIG_IGN ||
	       (ka->handler == (uint32_t)SIG_DFL && default_action(sig) == ACT_IGNORE);
}

static void wake_for_signal(struct task *t)
{
	if (t->state == TASK_SLEEPING && signal_pending(t))
		task_wake(t);
}

/* A stopped task's SIGCONT, and the stop signals' undoing of it. */
static int queue_signal(struct task *t, int sig, const siginfo_t *info, bool shared, bool forced);

#define STOP_SIGNALS (SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU))

/* t stopped or continued (code CLD_STOPPED or CLD_CONTINUED, status the
 * signal): wake a parent waiting in wait4, and send it SIGCHLD unless its
 * action says SA_NOCLDSTOP. */
static void tell_parent_stop(struct task *t, int code, int status)
{
	struct task *parent = t->parent;
	if (!parent)
		return;
	wake_up(&parent->child_exit);
	if (parent->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP)
		return;
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.si_pid = t->pid;
	info.si_status = status;
	queue_signal(parent, SIGCHLD, &info, true, false);	/* to the process */
}

static void continue_task(struct task *t)
{
	t->sig.pending &= ~STOP_SIGNALS;
	t->sig.shared_pending &= ~STOP_SIGNALS;
	if (t->state == TASK_STOPPED) {
		t->state = TASK_RUNNABLE;
		sched_enqueue(t);
		t->sig.stop_signal = 0;
		t->continued = true;
		tell_parent_stop(t, CLD_CONTINUED, SIGCONT);
	}
}

static int queue_signal(struct task *t, int sig, const siginfo_t *info, bool shared, bool forced)
{
	if (sig <= 0 || sig > NSIG || t->state == TASK_ZOMBIE)
		return 0;
	uint64_t *set = shared ? &t->sig.shared_pending : &t->sig.pending;
	uint32_t irq = irq_save();
	if (sig == SIGCONT || sig == SIGKILL)
		continue_task(t);
	if (STOP_SIGNALS & SIGMASK(sig)) {
		t->sig.pending &= ~SIGMASK(SIGCONT);
		t->sig.shared_pending &= ~SIGMASK(SIGCONT);
	}
	if (ignored_now(t, sig, forced) || (sig < SIGRTMIN && (*set & SIGMASK(sig)))) {
		irq_restore(irq);
		return 0;	/* dropped, or merged with the one already pending */
	}
	struct sigqueue *q = sigqueue_alloc(t);
	if (!q) {
		/* Out of memory: a standard signal still arrives, without details. */
		if (sig >= SIGRTMIN) {
			irq_restore(irq);
			return -EAGAIN;
		}
	} else {
		if (info)
			q->info = *info;
		else {
			q->info.si_signo = sig;
			q->info.si_code = SI_KERNEL;
		}
		q->info.si_signo = sig;
		q->shared = shared;
		struct sigqueue **p = &t->sig.queue;
		while (*p)
			p = &(*p)->next;
		*p = q;
	}
	*set |= SIGMASK(sig);
	signal_recalc(t);
	wake_for_signal(t);
	irq_restore(irq);
	return 0;
}

int send_signal(struct task *t, int sig, const siginfo_t *info)
{
	return queue_signal(t, sig, info, false, false);
}

int send_signal_process(struct task *t, int sig, const siginfo_t *info)
{
	return queue_signal(t, sig, info, true, false);
}

void force_signal_info(struct task *t, const siginfo_t *info)
{
	int sig = info->si_signo;
	struct k_sigaction *ka = &t->sig.action[sig - 1];
	/* As Linux: a blocked or ignored fault kills.  So does one in a guest
	 * space whose handler could not run there (no SA_IN_MM). */
	if ((t->sig.blocked & SIGMASK(sig)) || ka->handler == (uint32_t)SIG_IGN ||
	    (altmm_foreign(t) && !(ka->flags & SA_IN_MM))) {
		ka->handler = (uint32_t)SIG_DFL;
		t->sig.blocked &= ~SIGMASK(sig);
	}
	queue_signal(t, sig, info, false, true);
}

/* The siginfo of a fault: signal, si_code and address, nothing else. */
static void fault_info(siginfo_t *info, int sig, int code, uint32_t addr)
{
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = code;
	info->si_addr = (void *)addr;
}

void force_signal(struct task *t, int sig, int code, uint32_t addr)
{
	siginfo_t info;
	fault_info(&info, sig, code, addr);
	force_signal_info(t, &info);
}

void force_trap_signal(struct trapframe *tf, int sig, int code, uint32_t addr)
{
#if ALTMM
	if (altmm_foreign(current) && altmm_fault_fast(tf, sig, code, addr))
		return;	/* the usual case: straight to the guest kernel's handler */
#endif
	siginfo_t info;
	fault_info(&info, sig, code, addr);
#if ALTMM
	if (altmm_foreign(current)) {
		altmm_trap(tf, &info);
		return;
	}
#endif
	(void)tf;
	force_signal_info(current, &info);
}

int send_signal_pgrp(int pgrp, int sig, const siginfo_t *info)
{
	bool found = false;
	for (struct task *t = task_list(); t; t = t->all_next)
		if (t->pgid == pgrp && t->state != TASK_ZOMBIE) {
			found = true;
			send_signal_process(t, sig, info);
		}
	return found ? 0 : -ESRCH;
}

/* The signal to deliver next from one pending set; 0 if none.  Synchronous
 * fault signals come first, as Linux delivers them. */
static int next_signal(uint64_t ready)
{
	static const int sync[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS };
	if (!ready)
		return 0;
	for (unsigned i = 0; i < sizeof sync / sizeof sync[0]; i++)
		if (ready & SIGMASK(sync[i]))
			return sync[i];
	return __builtin_ctzll(ready) + 1;
}

/* Take the next signal in `allowed` off a pending set (the thread's first,
 * then the process's), with its information; 0 if there is none. */
int signal_dequeue(struct task *t, uint64_t allowed, siginfo_t *info)
{
	bool shared = false;
	int sig = next_signal(t->sig.pending & allowed);
	if (!sig) {
		shared = true;
		sig = next_signal(t->sig.shared_pending & allowed);
		if (!sig)
			return 0;
	}
	struct sigqueue *found = 0;
	for (struct sigqueue **p = &t->sig.queue; *p; p = &(*p)->next)
		if ((*p)->info.si_signo == sig && (*p)->shared == shared) {
			found = *p;
			*p = found->next;
			break;
		}
	bool more = false;	/* another queued instance (real-time signals) */
	for (struct sigqueue *q = t->sig.queue; q; q = q->next)
		if (q->info.si_signo == sig && q->shared == shared)
			more = true;
	if (found) {
		*info = found->info;
		sigqueue_free(t, found);
	} else {
		memset(info, 0, sizeof *info);
		info->si_signo = sig;
		info->si_code = SI_KERNEL;
	}
	if (!more)
		*(shared ? &t->sig.shared_pending : &t->sig.pending) &= ~SIGMASK(sig);
	signal_recalc(t);
	return sig;
}

/* A system call interrupted by sig: restart it or make it fail with EINTR. */
static void fix_restart(struct trapframe *tf, const struct k_sigaction *ka, bool handler)
{
	if (current->syscall_nr < 0)
		return;
	long ret = (long)tf->eax;
	bool restart;
	switch (ret) {
	case -ERESTARTNOHAND: restart = !handler; break;
	case -ERESTARTSYS: restart = !handler || (ka->flags & SA_RESTART); break;
	case -ERESTARTNOINTR: restart = true; break;
	default: return;
	}
	if (restart) {
		tf->eax = (uint32_t)current->syscall_nr;
		tf->eip -= 2;	/* back onto the int $0x80 */
	} else {
		tf->eax = (uint32_t)-EINTR;
	}
}

static void stop_task(int sig)
{
	uint32_t irq = irq_save();
	current->state = TASK_STOPPED;
	current->sig.stop_signal = sig;
	current->stopped_reported = false;
	tell_parent_stop(current, CLD_STOPPED, sig);
	schedule();	/* until SIGCONT or SIGKILL */
	irq_restore(irq);
}

/*
 * Run the handler of a caught signal: settle an interrupted system call,
 * build the frame, and block what the handler's mask says.  Returns false
 * when no frame could be built (the task then gets SIGSEGV instead).
 */
bool signal_handle(struct trapframe *tf, int sig, const siginfo_t *info, struct k_sigaction *ka)
{
	fix_restart(tf, ka, true);
	current->syscall_nr = -1;
	uint64_t old = current->sig.restore_blocked ? current->sig.saved_blocked : current->sig.blocked;
	current->sig.restore_blocked = false;
	int err;
#if ALTMM
	if (ka->flags & SA_IN_MM)
		err = altmm_setup_frame(tf, sig, info, ka, old);
	else
#endif
		err = signal_setup_frame(tf, sig, info, ka, old);
	if (err) {
		/* No room for the frame: SIGSEGV, which cannot loop (Linux). */
		if (sig == SIGSEGV)
			ka->handler = (uint32_t)SIG_DFL;
		force_signal(current, SIGSEGV, SI_KERNEL, 0);
		return false;
	}
	current->sig.blocked |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		current->sig.blocked |= SIGMASK(sig);
	current->sig.blocked &= ~SIG_UNBLOCKABLE;
	if (ka->flags & SA_RESETHAND)
		ka->handler = (uint32_t)SIG_DFL;
	signal_recalc(current);
	return true;
}

void signal_deliver(struct trapframe *tf)
{
	siginfo_t info;
	int sig;
	bool handled = false;
	/* In a guest space, handlers without SA_IN_MM wait until home. */
	uint64_t deferred = altmm_deferred_signals(current);
	while ((sig = signal_dequeue(current, ~current->sig.blocked & ~deferred, &info))) {
		struct k_sigaction *ka = &current->sig.action[sig - 1];
		if (ka->handler == (uint32_t)SIG_IGN)
			continue;
		if (ka->handler == (uint32_t)SIG_DFL) {
			switch (default_action(sig)) {
			case ACT_IGNORE:
			case ACT_CONTINUE:
				continue;
			case ACT_STOP:
				stop_task(sig);
				continue;
			case ACT_TERMINATE:
				do_exit(W_EXITCODE(0, sig));
			}
		}
		/* A caught signal: its handler runs next, on a new frame. */
		if (signal_handle(tf, sig, &info, ka))
			handled = true;
	}
	if (!handled) {
		fix_restart(tf, 0, false);
		if (current->sig.restore_blocked) {	/* sigsuspend woken by an ignored signal */
			current->sig.blocked = current->sig.saved_blocked;
			current->sig.restore_blocked = false;
			signal_recalc(current);
		}
	}
}

void signal_child_exited(struct task *child)
{
	struct task *parent = child->parent;
	if (!parent || child->exit_signal <= 0)
		return;
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = child->exit_signal;
	info.si_pid = child->pid;
	if (WIFEXITED(child->exit_status)) {
		info.si_code = CLD_EXITED;
		info.si_status = WEXITSTATUS(child->exit_status);
	} else {
		info.si_code = CLD_KILLED;
		info.si_status = WTERMSIG(child->exit_status);
	}
	send_signal_process(parent, child->exit_signal, &info);
}
