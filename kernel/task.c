/*
 * Task objects: creation, the list of all tasks, pids, names, and the
 * limits on them: kernel.pid_max (pids are below it), kernel.threads-max
 * (how many tasks may exist) and RLIMIT_NPROC (how many of them one user
 * may have), which fork checks through task_fork_allowed.
 *
 * A task's kernel stack holds, at its top, the trapframe with its user
 * registers.  A new task also gets, just below, the frame switch_stacks
 * pops, whose return address is task_first_entry: the first time the
 * scheduler switches to it, it "returns" straight into the trap exit path
 * and so to user mode with the registers in its trapframe.
 */
#include <kernel/arch.h>
#include <kernel/cred.h>
#include <kernel/fpu.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <kernel/stats.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

#define RESERVED_PIDS	300	/* after wrapping, pids start again here */
#define MIN_THREADS	20	/* fork_init never sets threads-max lower */

int pid_max = PID_MAX_LIMIT;
int max_threads = MIN_THREADS;	/* until task_limits_init */

static struct task *all_tasks;
static int nr_tasks;		/* on all_tasks: zombies count until reaped */
static int pid_cursor;		/* one past the last pid given (Linux's idr cursor) */
static uint32_t pid_used[PID_MAX_LIMIT / 32];	/* task_alloc_pid's scratch */

void task_first_entry(void);

void task_limits_init(void)
{
	uint64_t threads = (uint64_t)pmm_total_pages() * PAGE_SIZE / (KSTACK_SIZE * 8);
	max_threads = threads < MIN_THREADS ? MIN_THREADS :
		      threads > THREADS_MAX_LIMIT ? THREADS_MAX_LIMIT : (int)threads;
}

int task_count(void)
{
	return nr_tasks;
}

int task_last_pid(void) { return pid_cursor - 1; }
void task_set_last_pid(int pid) { pid_cursor = pid + 1; }

static void mark_used(int n)
{
	if (n > 0 && n < PID_MAX_LIMIT)
		pid_used[n / 32] |= 1u << (n % 32);
}

/* The first number in [from, to) that pid_used does not mark, or -1. */
static int first_unused(int from, int to)
{
	for (int n = from; n < to; n++)
		if (!(pid_used[n / 32] >> (n % 32) & 1))
			return n;
	return -1;
}

int task_alloc_pid(void)
{
	/* What is in use: one walk over the tasks, so a search costs
	 * O(tasks + pid_max / 32), however many numbers it skips. */
	memset(pid_used, 0, sizeof pid_used);
	for (struct task *t = all_tasks; t; t = t->all_next) {
		mark_used(t->pid);
		mark_used(t->pgid);
		mark_used(t->sid);
	}
	/* Linux: from the cursor up to pid_max, then again from the start,
	 * which is 1 until the numbers have once gone past RESERVED_PIDS. */
	int start = pid_cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	int from = pid_cursor < start ? start : pid_cursor;
	int pid = first_unused(from, pid_max);
	if (pid < 0 && from > start)
		pid = first_unused(start, pid_max);
	if (pid < 0)
		return -EAGAIN;
	pid_cursor = pid + 1;
	return pid;
}

int task_fork_allowed(const struct task *parent)
{
	uint64_t nproc = parent->rlimits[RLIMIT_NPROC].cur;
	if (!task_capable_resource(parent) && parent->uid != 0 && nproc != ~0ull) {	/* Linux: real root too */
		uint64_t mine = 0;
		for (struct task *t = all_tasks; t; t = t->all_next)
			mine += t->uid == parent->uid;
		if (mine >= nproc)
			return -EAGAIN;	/* the child would be one too many */
	}
	if (nr_tasks >= max_threads)
		return -EAGAIN;
	return 0;
}

void task_set_comm(struct task *t, const char *path)
{
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	size_t n = 0;
	for (; base[n] && base[n] != '/' && n < TASK_COMM_LEN - 1; n++)
		t->comm[n] = base[n];
	t->comm[n] = '\0';
}

struct task *task_create(const char *comm)
{
	int pid = task_alloc_pid();
	return pid < 0 ? 0 : task_create_pid(comm, pid);
}

struct task *task_create_pid(const char *comm, int pid)
{
	struct task *t = kzalloc(sizeof *t);
	void *stack = kmalloc(KSTACK_SIZE);
	if (!t || !stack) {
		kfree(t);
		kfree(stack);
		return 0;
	}
	t->kstack = (uint32_t)stack;
	t->pid = pid;
	t->state = TASK_RUNNABLE;
	t->start_time = timer_ticks();
	kstats.forks++;
	task_set_comm(t, comm);
	fpu_task_init(t);
	signal_task_init(t);
	t->syscall_nr = -1;
	t->active_mm_fd = -1;
	t->altmm_fd = -1;
	t->umask = 022;

	/* The frame switch_stacks pops: edi, esi, ebx, ebp, return address. */
	uint32_t *sp = (uint32_t *)task_trapframe(t);
	*--sp = (uint32_t)task_first_entry;
	for (int i = 0; i < 4; i++)
		*--sp = 0;
	t->kernel_esp = (uint32_t)sp;

	t->all_next = all_tasks;
	all_tasks = t;
	nr_tasks++;
	return t;
}

void task_free(struct task *t)
{
	for (struct task **p = &all_tasks; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			nr_tasks--;
			break;
		}
	signal_task_free(t);
	cred_free(t);
	kfree((void *)t->kstack);
	kfree(t->exe_path);
	kfree(t);
}

struct task *task_find(int pid)
{
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->pid == pid)
			return t;
	return 0;
}

struct task *task_list(void)
{
	return all_tasks;
}
