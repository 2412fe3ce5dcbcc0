/*
 * Task objects: creation, the list of all tasks, pids, names.
 *
 * A task's kernel stack holds, at its top, the trapframe with its user
 * registers.  A new task also gets, just below, the frame switch_stacks
 * pops, whose return address is task_first_entry: the first time the
 * scheduler switches to it, it "returns" straight into the trap exit path
 * and so to user mode with the registers in its trapframe.
 */
#include <kernel/fpu.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/trap.h>

#define PID_MAX 32768

static struct task *all_tasks;
static int last_pid;

void task_first_entry(void);

static int alloc_pid(void)
{
	for (;;) {
		last_pid = last_pid >= PID_MAX ? 2 : last_pid + 1;	/* 1 is init's only */
		if (!task_find(last_pid))
			return last_pid;
	}
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
	struct task *t = kzalloc(sizeof *t);
	void *stack = kmalloc(KSTACK_SIZE);
	if (!t || !stack) {
		kfree(t);
		kfree(stack);
		return 0;
	}
	t->kstack = (uint32_t)stack;
	t->pid = alloc_pid();
	t->state = TASK_RUNNABLE;
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
	return t;
}

void task_free(struct task *t)
{
	for (struct task **p = &all_tasks; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			break;
		}
	signal_task_free(t);
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
