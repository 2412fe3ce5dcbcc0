/*
 * The scheduler: one run queue, round robin, a time slice of SLICE_TICKS
 * timer ticks.  The kernel is not preemptible (see <kernel/sched.h>): the
 * timer only sets need_resched, and a task gives up the CPU when it
 * sleeps or on its way back to user mode.
 *
 * There is no idle task.  When nothing is runnable, schedule() halts the
 * CPU on the stack of the task that called it, with interrupts on, until
 * an interrupt handler makes some task runnable.
 */
#include <kernel/arch.h>
#include <kernel/fpu.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/stats.h>
#include <kernel/task.h>
#include <kernel/x86.h>
#include <uapi/errno.h>

#define SLICE_TICKS 5	/* 50 ms at 100 Hz */

struct task *current;
static struct task *rq_head, *rq_tail;
static uint64_t next_deadline_check;	/* no sleeper's deadline comes before this tick */
static uint64_t slice_end;
volatile int need_resched;

void switch_stacks(uint32_t *save_esp, uint32_t new_esp);
void exit_free_unreaped(void);

void sched_enqueue(struct task *t)
{
	t->run_next = 0;
	if (rq_tail)
		rq_tail->run_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct task *dequeue(void)
{
	struct task *t = rq_head;
	if (t) {
		rq_head = t->run_next;
		if (!rq_head)
			rq_tail = 0;
	}
	return t;
}

/* Everything about the CPU that belongs to a task, except its registers. */
static void switch_to(struct task *prev, struct task *next)
{
	tss_set_kernel_stack(next->kstack + KSTACK_SIZE);
	if (!prev || prev->active_mm != next->active_mm)
		mm_activate(next->active_mm);
	fpu_switch(prev, next);
	tls_load(next);
	current = next;
	slice_end = timer_ticks() + SLICE_TICKS;
	static uint32_t boot_esp;	/* where the boot stack's context goes */
	switch_stacks(prev ? &prev->kernel_esp : &boot_esp, next->kernel_esp);
}

void schedule(void)
{
	uint32_t flags = irq_save();
	struct task *prev = current;
	need_resched = 0;
	if (prev && prev->state == TASK_RUNNABLE)
		sched_enqueue(prev);
	struct task *next;
	while (!(next = dequeue())) {
		/* Nothing to run: wait for an interrupt to wake someone. */
		sti_hlt();
		cli();
	}
	if (next != prev) {
		kstats.ctxt++;
		if (prev && prev->state == TASK_RUNNABLE)
			prev->nivcsw++;
		else if (prev)
			prev->nvcsw++;
		switch_to(prev, next);
	}
	exit_free_unreaped();	/* tasks that exited unwatched, now off the CPU */
	irq_restore(flags);
}

void sched_start(void)
{
	cli();
	struct task *first = dequeue();
	if (!first)
		panic("sched_start: no task to run");
	switch_to(0, first);
	panic("the boot context was resumed");
}


void yield(void)
{
	schedule();
}

/* Take t off the queue it sleeps on and make it runnable.  Interrupts off. */
void task_wake(struct task *t)
{
	struct waitq *q = t->waiting_on;
	if (q) {
		for (struct task **p = &q->first; *p; p = &(*p)->wait_next)
			if (*p == t) {
				*p = t->wait_next;
				break;
			}
	}
	t->wait_next = 0;
	t->waiting_on = 0;
	t->wake_tick = 0;
	if (t->state == TASK_SLEEPING || t->state == TASK_SLEEPING_HARD) {
		t->state = TASK_RUNNABLE;
		sched_enqueue(t);
	}
}

static int sleep(struct waitq *q, uint64_t deadline, bool interruptible)
{
	/* A deliverable signal ends (or prevents) an interruptible sleep. */
	if (interruptible && signal_pending(current))
		return -ERESTARTSYS;
	current->state = interruptible ? TASK_SLEEPING : TASK_SLEEPING_HARD;
	current->waiting_on = q;
	current->wait_next = q->first;
	current->wake_tick = deadline;
	if (deadline && deadline < next_deadline_check)
		next_deadline_check = deadline;
	q->first = current;
	schedule();
	return interruptible && signal_pending(current) ? -ERESTARTSYS : 0;
}

int sleep_on_until(struct waitq *q, uint64_t deadline)
{
	return sleep(q, deadline, true);
}

int sleep_on(struct waitq *q)
{
	return sleep(q, 0, true);
}

void sleep_on_uninterruptible(struct waitq *q)
{
	sleep(q, 0, false);
}

void wake_up(struct waitq *q)
{
	uint32_t flags = irq_save();
	while (q->first)
		task_wake(q->first);
	irq_restore(flags);
}

int sleep_ticks(uint64_t ticks)
{
	struct waitq nobody = { 0 };	/* only the deadline wakes us */
	uint32_t flags = irq_save();
	uint64_t until = timer_ticks() + ticks;
	while (timer_ticks() < until) {
		int err = sleep_on_until(&nobody, until);
		if (err) {
			irq_restore(flags);
			return err;
		}
	}
	irq_restore(flags);
	return 0;
}

/* From the timer interrupt: wake sleepers whose deadline has come, end the slice. */
void sched_tick(uint64_t now)
{
	if (now >= next_deadline_check) {
		next_deadline_check = UINT64_MAX;
		for (struct task *t = task_list(); t; t = t->all_next) {
			if ((t->state != TASK_SLEEPING && t->state != TASK_SLEEPING_HARD) || !t->wake_tick)
				continue;
			if (t->wake_tick <= now)
				task_wake(t);
			else if (t->wake_tick < next_deadline_check)
				next_deadline_check = t->wake_tick;
		}
	}
	if (current && now >= slice_end)
		need_resched = 1;
}
