/*
 * Self-tests of the limits on tasks (kernel/task.c): pid allocation
 * (wrapping, and skipping numbers in use as pid, process group or
 * session) and fork's limits (RLIMIT_NPROC per real user, threads-max),
 * with made-up tasks that never run.  The uids other than root exist
 * here only: the rest of the kernel runs everything as root for now.
 */
#include <kernel/selftest.h>
#include <kernel/task.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

/* A task that never runs, with these ids, on the list of all tasks. */
static struct task *fake(int pid, int pgid, int sid, uint32_t uid)
{
	struct task *t = task_create_pid("fake", pid);
	if (t) {
		t->pgid = pgid;
		t->sid = sid;
		t->uid = t->euid = t->suid = t->fsuid = uid;
	}
	return t;
}

SELFTEST(task_pid_allocation)
{
	int saved_last = task_last_pid(), saved_max = pid_max;
	/* 300 a pid; 301 only a process group; 302, 303 pids; 304 only a session. */
	struct task *a = fake(300, 300, 300, 0), *b = fake(302, 301, 300, 0);
	struct task *c = fake(303, 303, 304, 0);
	EXPECT(a && b && c);
	pid_max = 306;
	task_set_last_pid(301);
	EXPECT(task_alloc_pid() == 305);		/* after the last, skipping 302..304 */
	EXPECT(task_last_pid() == 305);
	/* Past pid_max: back to RESERVED_PIDS (300), skipping to 305 again. */
	EXPECT(task_alloc_pid() == 305);
	struct task *d = fake(305, 0, 0, 0);
	EXPECT(d && task_alloc_pid() == -EAGAIN);	/* none free */
	task_free(b);				/* frees 302 and the group 301 */
	EXPECT(task_alloc_pid() == 301);
	EXPECT(task_alloc_pid() == 302);
	/* Before the numbers first pass RESERVED_PIDS the search wraps to 1. */
	task_set_last_pid(299);
	EXPECT(task_alloc_pid() == 301);
	task_set_last_pid(10);
	EXPECT(task_alloc_pid() == 11);
	pid_max = 12;
	EXPECT(task_alloc_pid() == 1);		/* nothing uses 1 here */
	/* pid_max below the cursor: the search starts over at once. */
	task_set_last_pid(5000);
	pid_max = 306;
	EXPECT(task_alloc_pid() == 301);
	task_free(a);
	task_free(c);
	task_free(d);
	pid_max = saved_max;
	task_set_last_pid(saved_last);
}

SELFTEST(task_fork_limits)
{
	int saved_threads = max_threads;
	struct task *parent = fake(310, 310, 310, 1000), *other = fake(311, 310, 310, 1000);
	struct task *root = fake(312, 310, 310, 0);
	EXPECT(parent && other && root);
	for (int i = 0; i < 16; i++)
		parent->rlimits[i].cur = parent->rlimits[i].max = ~0ull;
	root->rlimits[RLIMIT_NPROC].cur = 0;
	max_threads = THREADS_MAX_LIMIT;
	/* RLIMIT_NPROC counts the tasks of the parent's real user: 2 here. */
	parent->rlimits[RLIMIT_NPROC].cur = 2;
	EXPECT(task_fork_allowed(parent) == -EAGAIN);
	parent->rlimits[RLIMIT_NPROC].cur = 3;
	EXPECT(task_fork_allowed(parent) == 0);
	other->uid = 1001;			/* another user's tasks do not count */
	parent->rlimits[RLIMIT_NPROC].cur = 2;
	EXPECT(task_fork_allowed(parent) == 0);
	parent->rlimits[RLIMIT_NPROC].cur = 1;
	EXPECT(task_fork_allowed(parent) == -EAGAIN);
	other->state = TASK_ZOMBIE;		/* zombies count until reaped */
	other->uid = 1000;
	parent->rlimits[RLIMIT_NPROC].cur = 2;
	EXPECT(task_fork_allowed(parent) == -EAGAIN);
	EXPECT(task_fork_allowed(root) == 0);	/* root is exempt */
	/* threads-max counts every task, zombies too. */
	max_threads = task_count();
	EXPECT(task_fork_allowed(root) == -EAGAIN);
	max_threads = task_count() + 1;
	EXPECT(task_fork_allowed(root) == 0);
	parent->rlimits[RLIMIT_NPROC].cur = ~0ull;
	EXPECT(task_fork_allowed(parent) == 0);
	max_threads = task_count();
	EXPECT(task_fork_allowed(parent) == -EAGAIN);
	task_free(parent);
	task_free(other);
	task_free(root);
	max_threads = saved_threads;
}
