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

/* Does child c match wait4's pid argument? */
static bool wait_matches(const struct task *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == current->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

static long sys_wait4(int pid, int __user *ustatus, int options, void __user *rusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;	/* -INT_MIN has no process group */
	uint32_t irq = irq_save();
	for (;;) {
		bool any = false;
		for (struct task **p = &current->children; *p; p = &(*p)->sibling) {
			struct task *c = *p;
			if (!wait_matches(c, pid))
				continue;
			any = true;
			int report = -1;	/* a stop or continue to tell, without reaping */
			if (c->state == TASK_STOPPED && (options & WUNTRACED) && !c->stopped_reported) {
				report = (c->sig.stop_signal << 8) | 0x7F;
				c->stopped_reported = true;
			} else if (c->continued && (options & WCONTINUED)) {
				report = 0xFFFF;
				c->continued = false;
			}
			if (report >= 0) {
				irq_restore(irq);
				if (ustatus && copy_to_user(ustatus, &report, sizeof report))
					return -EFAULT;
				return c->pid;
			}
			if (c->state != TASK_ZOMBIE)
				continue;
			irq_restore(irq);
			int status = c->exit_status, cpid = c->pid;
			current->cutime += c->utime + c->cutime;	/* /proc/PID/stat reports them */
			current->cstime += c->stime + c->cstime;
			struct rusage ru;
			rusage_reap(current, c, &ru);	/* the child's own and its children's */
			*p = c->sibling;
			task_free(c);	/* like Linux, reaped even if the copies below fail */
			if (ustatus && copy_to_user(ustatus, &status, sizeof status))
				return -EFAULT;
			if (rusage && copy_to_user(rusage, &ru, sizeof ru))
				return -EFAULT;
			return cpid;
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
SYSCALL(wait4, sys_wait4);

static long sys_waitpid(int pid, int __user *ustatus, int options)
{
	return sys_wait4(pid, ustatus, options, 0);
}
SYSCALL(waitpid, sys_waitpid);
