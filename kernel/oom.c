/*
 * The out-of-memory killer.
 *
 * When a page fault from user space finds no free page, something has to
 * give, and as on Linux it is a whole process: the one with the most
 * memory resident in its address space, so that one kill frees as much
 * as possible.  Never init (pid 1): the machine without it is over.  Never
 * a task asleep beyond the reach of signals (a vfork parent, say), which
 * could not die to free anything.  The kernel log names the victim.
 *
 * The victim frees its memory only when it runs and exits, so the task
 * whose fault found no page (often the victim itself) just tries again;
 * until the victim is gone, further faults wait for it rather than kill
 * a second process.  The victim is marked in its task, not remembered by
 * pid: pids are reused, and a new process that got the dead victim's
 * number must not be mistaken for it (the fault would wait for ever).
 */
#include <kernel/mm.h>
#include <kernel/oom.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <uapi/signal.h>

/* Is a victim chosen earlier still on its way out? */
static bool victim_dying(void)
{
	for (struct task *t = task_list(); t; t = t->all_next)
		if (t->oom_victim && t->state != TASK_ZOMBIE)
			return true;
	return false;
}

/* The task to kill: the most pages resident; NULL if none may be killed. */
static struct task *choose(uint32_t *pages)
{
	struct task *best = 0;
	*pages = 0;
	for (struct task *t = task_list(); t; t = t->all_next) {
		if (t->pid == 1 || t->state == TASK_ZOMBIE || t->state == TASK_SLEEPING_HARD || !t->mm)
			continue;
		uint32_t n = mm_resident_pages(t->mm);
		if (!best || n > *pages) {
			best = t;
			*pages = n;
		}
	}
	return best;
}

bool oom_kill(void)
{
	if (victim_dying())
		return true;
	uint32_t pages;
	struct task *t = choose(&pages);
	if (!t)
		return false;
	printk("Out of memory: Killed process %d (%s) rss:%ukB\n", t->pid, t->comm, pages * 4);
	force_signal(t, SIGKILL, SI_KERNEL, 0);
	t->oom_victim = true;
	return true;
}
