/*
 * exit, exit_group, wait4 and waitpid: how a process ends and is reaped.
 *
 * An exiting task gives back its address space, files and directory at
 * once, and stays as a zombie (its task structure and kernel stack) until
 * its parent collects the status with wait4.  Its children are handed to
 * init (pid 1), which reaps orphans.  When init itself exits, the machine
 * stops: with `exit=qemu` the emulator exits with the kernel's verdict,
 * success if init exited with status 0.
 */
#include <kernel/altmm.h>
#include <kernel/machine.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/rusage.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <kernel/x86.h>
#include <uapi/resource.h>
#include <uapi/wait.h>

void vfork_release(struct task *t);
long futex_wake(uint32_t uaddr, int count);

static void init_exited(int status)
{
	if (WIFEXITED(status))
		printk("init exited with status %d\n", WEXITSTATUS(status));
	else
		printk("init was killed by signal %d\n", WTERMSIG(status));
	machine_exit(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? EXIT_SUCCESS_CODE : EXIT_FAILURE_CODE);
}

/* Give the children of t to init. */
/* Linux's find_new_reaper: the nearest ancestor that asked for orphans
 * (PR_SET_CHILD_SUBREAPER) and is not exiting itself, else init. */
static struct task *new_reaper(struct task *t)
{
	for (struct task *a = t->parent; a && a->pid != 1; a = a->parent)
		if (a->child_subreaper && a->state != TASK_ZOMBIE)
			return a;
	return task_find(1);
}

static void reparent_children(struct task *t)
{
	struct task *reaper = new_reaper(t);
	bool zombies = false;
	while (t->children) {
		struct task *c = t->children;
		t->children = c->sibling;
		c->parent = reaper;
		c->sibling = reaper->children;
		reaper->children = c;
		zombies |= c->state == TASK_ZOMBIE;
		if (c->pdeath_signal && c->state != TASK_ZOMBIE) {	/* prctl(PR_SET_PDEATHSIG) */
			siginfo_t info;
			memset(&info, 0, sizeof info);
			info.si_signo = c->pdeath_signal;
			info.si_code = SI_USER;
			info.si_pid = t->pid;
			info.si_uid = t->uid;
			send_signal_process(c, c->pdeath_signal, &info);
		}
	}
	if (zombies)
		wake_up(&reaper->child_exit);
}

/* Tasks that exited with nobody to reap them (their parent ignores
 * SIGCHLD): freed by the scheduler once they are off the CPU. */
static struct task *unreaped;

void exit_free_unreaped(void)
{
	while (unreaped && unreaped != current) {
		struct task *t = unreaped;
		unreaped = t->sibling;
		task_free(t);
	}
}

/* Does the parent ask not to keep zombies (SIGCHLD ignored, or SA_NOCLDWAIT)? */
static bool parent_autoreaps(const struct task *parent)
{
	const struct k_sigaction *ka = &parent->sig.action[SIGCHLD - 1];
	return ka->handler == (uint32_t)SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

static void unlink_child(struct task *parent, struct task *child)
{
	for (struct task **p = &parent->children; *p; p = &(*p)->sibling)
		if (*p == child) {
			*p = child->sibling;
			return;
		}
}

__attribute__((noreturn)) void do_exit(int status)
{
	struct task *t = current;
	if (t->pid == 1)
		init_exited(status);
	altmm_exit(t);	/* back in the home space: clear_child_tid is an address there */
	if (t->clear_child_tid) {
		int zero = 0;
		if (copy_to_user((void *)t->clear_child_tid, &zero, sizeof zero) == 0)
			futex_wake(t->clear_child_tid, 1);
	}
	files_put(t->files);
	t->files = 0;
	if (t->cwd)
		inode_put(t->cwd);
	t->cwd = 0;
	mm_put(t->active_mm);
	t->active_mm = 0;
	rusage_exit(t);	/* its peak resident set, before the space goes */
	mm_put(t->mm);	/* switches to the kernel's page directory if it was the last user */
	t->mm = 0;
	reparent_children(t);

	cli();
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	t->itimer_real_at = 0;
	vfork_release(t);
	signal_child_exited(t);
	if (parent_autoreaps(t->parent)) {
		unlink_child(t->parent, t);	/* no zombie: wait4 will not see it */
		t->sibling = unreaped;
		unreaped = t;
	}
	wake_up(&t->parent->child_exit);
	schedule();
	panic("a zombie was scheduled");
}

static long sys_exit(int code)
{
	do_exit(W_EXITCODE(code & 0xFF, 0));
}
SYSCALL(exit, sys_exit);
SYSCALL(exit_group, sys_exit);

/* Which children a wait is for: all, one pid, or one process group. */
struct wait_for {
	int idtype;		/* P_ALL, P_PID, P_PGID */
	int id;
};

static bool wait_matches(const struct task *c, struct wait_for w)
{
	return w.idtype == P_ALL || (w.idtype == P_PID ? c->pid == w.id : c->pgid == w.id);
}

/* What a wait found. */
struct wait_found {
	int pid, status;	/* wait4's status word */
	int code, info;		/* waitid's si_code and si_status */
	uint32_t uid;		/* the child's real uid */
	struct rusage ru;
};

/* The siginfo code and status of a dead child's status word. */
static void exit_info(int status, struct wait_found *r)
{
	if (!(status & 0x7F)) {
		r->code = CLD_EXITED;
		r->info = (status >> 8) & 0xFF;
	} else {
		r->code = status & WCOREFLAG ? CLD_DUMPED : CLD_KILLED;
		r->info = status & 0x7F;
	}
}

/*
 * The wait of wait4 and waitid: look at the matching children for a stop
 * (WSTOPPED), a continue (WCONTINUED) or an exit (WEXITED) to report,
 * reaping the dead unless WNOWAIT, sleeping unless WNOHANG.  Returns 1
 * with *r filled in, 0 (WNOHANG, nothing yet), or -errno (ECHILD: no
 * matching child at all; ERESTARTSYS: a signal).
 */
static long do_wait(struct wait_for w, int options, struct wait_found *r)
{
	uint32_t irq = irq_save();
	for (;;) {
		bool any = false;
		for (struct task **p = &current->children; *p; p = &(*p)->sibling) {
			struct task *c = *p;
			/* A zombie is there only for WEXITED (Linux: without it,
			 * no child at all, ECHILD), and then only as a zombie. */
			bool zombie = c->state == TASK_ZOMBIE;
			if (!wait_matches(c, w) || (zombie && !(options & WEXITED)))
				continue;
			any = true;
			r->pid = c->pid;
			r->uid = c->uid;
			bool keep = options & WNOWAIT;
			if (zombie) {
				r->status = c->exit_status;
				exit_info(r->status, r);
				if (!keep) {
					irq_restore(irq);
					current->cutime += c->utime + c->cutime;	/* /proc/PID/stat reports them */
					current->cstime += c->stime + c->cstime;
					rusage_reap(current, c, &r->ru);	/* the child's own and its children's */
					*p = c->sibling;
					task_free(c);
					return 1;
				}
			} else if (c->state == TASK_STOPPED && (options & WSTOPPED) && !c->stopped_reported) {
				r->status = W_STOPCODE(c->sig.stop_signal);
				r->code = CLD_STOPPED;
				r->info = c->sig.stop_signal;
				c->stopped_reported = !keep;
			} else if (c->continued && (options & WCONTINUED)) {
				r->status = W_CONTINUED;
				r->code = CLD_CONTINUED;
				r->info = SIGCONT;
				c->continued = keep;
			} else {
				continue;
			}
			irq_restore(irq);
			rusage_both(c, &r->ru);
			return 1;
		}
		if (!any) {
			irq_restore(irq);
			return -ECHILD;
		}
		if (options & WNOHANG) {
			irq_restore(irq);
			return 0;
		}
		/* As Linux: a signal ends the wait only after the children were
		 * looked at once more (so a child reaped away yields ECHILD). */
		if (signal_pending(current)) {
			irq_restore(irq);
			return -ERESTARTSYS;	/* restarts under SA_RESTART, else EINTR */
		}
		sleep_on(&current->child_exit);
	}
}

static long sys_wait4(int pid, int __user *ustatus, int options, void __user *rusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;	/* -INT_MIN has no process group */
	struct wait_for w = { pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID,
			      pid > 0 ? pid : pid == 0 ? current->pgid : -pid };
	struct wait_found r;
	long err = do_wait(w, options | WEXITED, &r);
	if (err <= 0)
		return err;
	/* Like Linux, a child is reaped even if the copies below fail. */
	if (ustatus && copy_to_user(ustatus, &r.status, sizeof r.status))
		return -EFAULT;
	if (rusage && copy_to_user(rusage, &r.ru, sizeof r.ru))
		return -EFAULT;
	return r.pid;
}
SYSCALL(wait4, sys_wait4);

/*
 * waitid(idtype, id, infop, options, rusage), as Linux 6.1: the options
 * (EINVAL for a bit it does not know or none of WEXITED, WSTOPPED,
 * WCONTINUED), the id (a pid above 0; a group 0 or above, 0 being the
 * caller's; P_PIDFD a pidfd, which this kernel does not make: EBADF).
 * Then the same wait as wait4's; the rusage is copied only for a child
 * found, but infop is written whatever the outcome, zeros when no child
 * was found (WNOHANG) or there is none (ECHILD), as Linux writes it.
 */
#define P_PIDFD		3
struct waitid_info {	/* the head of a SIGCHLD siginfo_t: the words waitid writes */
	int32_t signo, err, code, pid, uid, status;
};

static long sys_waitid(int idtype, int id, void __user *infop, int options, void __user *rusage)
{
	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	struct wait_for w = { idtype, id };
	if (idtype == P_PID && id <= 0)
		return -EINVAL;
	if (idtype == P_PGID && id < 0)
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		w.id = current->pgid;
	if (idtype == P_PIDFD)
		return id < 0 ? -EINVAL : -EBADF;
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	struct wait_found r;
	long err = do_wait(w, options, &r);
	if (err > 0 && rusage && copy_to_user(rusage, &r.ru, sizeof r.ru))
		return -EFAULT;
	if (!infop)
		return err > 0 ? 0 : err;
	struct waitid_info info = { 0 };
	if (err > 0)
		info = (struct waitid_info){ SIGCHLD, 0, r.code, r.pid, (int32_t)r.uid, r.info };
	if (copy_to_user(infop, &info, sizeof info))
		return -EFAULT;
	return err > 0 ? 0 : err;
}
SYSCALL(waitid, sys_waitid);

static long sys_waitpid(int pid, int __user *ustatus, int options)
{
	return sys_wait4(pid, ustatus, options, 0);
}
SYSCALL(waitpid, sys_waitpid);
