/*
 * fork, vfork and clone: a new process, a copy of the caller.
 *
 * The child gets a copy-on-write copy of the address space, the same open
 * files in a new descriptor table, the same directory, TLS descriptors and
 * FPU state, and a copy of the caller's registers with eax = 0, so that it
 * returns from the same system call with 0 while the parent gets its pid.
 *
 * clone supports what C libraries use to create processes (glibc's fork is
 * clone(SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)).  Threads
 * (CLONE_VM without CLONE_VFORK, CLONE_THREAD, shared tables) are refused
 * with -EINVAL.  vfork (CLONE_VM | CLONE_VFORK) shares the parent's address
 * space, reference-counted like any other holder, and suspends the parent
 * until the child execs (and so lets go of it) or exits.
 *
 * Forking fails with EAGAIN past RLIMIT_NPROC or kernel.threads-max, or
 * when no pid below kernel.pid_max is free (kernel/task.c).
 */
#include <kernel/cred.h>
#include <kernel/altmm.h>
#include <kernel/fpu.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <kernel/x86.h>
#include <uapi/ldt.h>
#include <uapi/sched.h>
#include <uapi/signal.h>

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED)

int tls_set(struct task *t, const struct user_desc *u, uint32_t *chosen);
void inode_get(struct inode *inode);

/* The vfork child has exec'd or exited: let its parent go on. */
void vfork_release(struct task *t)
{
	struct task *parent = t->vfork_parent;
	if (parent) {
		t->vfork_parent = 0;
		wake_up(&parent->child_exit);
	}
}


static long do_clone(uint32_t flags, uint32_t newsp, int __user *parent_tid,
		     const struct user_desc __user *tls, int __user *child_tid)
{
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;	/* threads: not supported */
	struct user_desc tls_desc;
	if ((flags & CLONE_SETTLS) && copy_from_user(&tls_desc, tls, sizeof tls_desc))
		return -EFAULT;

	struct task *parent = current;
	/* Linux's order: the limits on tasks, then a pid (EAGAIN for each). */
	int pid = task_fork_allowed(parent);
	if (pid == 0)
		pid = task_alloc_pid();
	if (pid < 0)
		return pid;
	struct task *child = task_create_pid(parent->comm, pid);
	if (!child)
		return -ENOMEM;
	/* The TLS descriptor first: refused, there is nothing but the task to
	 * undo (no references to the mm, files, directory or spaces yet). */
	memcpy(child->tls_entries, parent->tls_entries, sizeof child->tls_entries);
	uint32_t chosen;
	if (flags & CLONE_SETTLS) {
		long err = tls_set(child, &tls_desc, &chosen);
		if (err) {
			task_free(child);
			return err;
		}
	}
	if (flags & CLONE_VM) {	/* vfork: the child borrows the parent's memory */
		child->mm = parent->mm;
		mm_get(child->mm);
	} else {
		child->mm = mm_fork(parent->mm);
	}
	child->files = files_dup(parent->files);
	child->exe_path = kstrdup(parent->exe_path);
	if (child->mm) {
		mm_get(child->mm);	/* it starts running at home */
		child->active_mm = child->mm;
		child->active_mm_fd = -1;
	}
	if (!child->mm || !child->files || (parent->exe_path && !child->exe_path)) {
		if (child->mm) {
			mm_put(child->active_mm);
			mm_put(child->mm);
		}
		if (child->files)
			files_put(child->files);
		task_free(child);
		return -ENOMEM;
	}
	child->cwd = parent->cwd;
	if (child->cwd)
		inode_get(child->cwd);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	cred_fork(child, parent);
	child->dumpable = parent->dumpable;	/* no parent-death signal, no subreaper: Linux's */
	memcpy(child->rlimits, parent->rlimits, sizeof child->rlimits);
	fpu_copy(child, parent);
	child->exit_signal = flags & CSIGNAL;
	child->umask = parent->umask;
	signal_fork(child, parent);
	altmm_fork(child, parent);

	struct trapframe *tf = task_trapframe(child);
	*tf = *task_trapframe(parent);
	tf->eax = 0;
	if (newsp)
		tf->user_esp = newsp;

	if (flags & CLONE_CHILD_SETTID)
		mm_write(child->mm, (uint32_t)child_tid, &child->pid, sizeof child->pid);
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (uint32_t)child_tid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent_tid, &child->pid, sizeof child->pid);

	child->parent = parent;
	child->sibling = parent->children;
	parent->children = child;

	uint32_t irq = irq_save();
	sched_enqueue(child);
	if (flags & CLONE_VFORK) {
		child->vfork_parent = parent;
		while (task_find(pid) && child->vfork_parent == parent)
			sleep_on_uninterruptible(&parent->child_exit);
	}
	irq_restore(irq);
	return pid;
}

static long sys_fork(void)
{
	return do_clone(SIGCHLD, 0, 0, 0, 0);
}
SYSCALL(fork, sys_fork);

static long sys_vfork(void)
{
	return do_clone(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, 0, 0, 0);
}
SYSCALL(vfork, sys_vfork);

/* i386 argument order: flags, stack, parent_tid, tls, child_tid. */
static long sys_clone(uint32_t flags, uint32_t newsp, int __user *parent_tid,
		      const struct user_desc __user *tls, int __user *child_tid)
{
	return do_clone(flags, newsp, parent_tid, tls, child_tid);
}
SYSCALL(clone, sys_clone);
