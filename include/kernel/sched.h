/*
 * Sleeping and waking (kernel/sched.c).
 *
 * The kernel is not preemptible: a task in the kernel runs until it sleeps
 * or returns to user mode; the timer preempts only user code.  Interrupt
 * handlers are the only things that run "in between", so the rule for
 * waiting on a condition that an interrupt handler may change is:
 *
 *	uint32_t flags = irq_save();
 *	while (!condition) {
 *		int err = sleep_on(&queue);	// interrupts stay off across the check
 *		if (err) { irq_restore(flags); return err; }
 *	}
 *	irq_restore(flags);
 *
 * and the waker calls wake_up(&queue) after changing the condition.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>

struct task;

struct waitq {
	struct task *first;	/* sleepers, linked through task->wait_next */
};

/*
 * Block the current task on q until wake_up(q).  Returns 0 when woken, or
 * -ERESTARTSYS when a signal must be handled first (<kernel/signal.h> says
 * how the system call then ends: -EINTR or a restart).  Must be called
 * with interrupts off (irq_save); they are off again on return.
 */
int sleep_on(struct waitq *q);
/* The same, deaf to signals: for waits that must end by themselves. */
void sleep_on_uninterruptible(struct waitq *q);
/* Make a sleeping task runnable (a signal for it arrived). */
void task_wake(struct task *t);
/* The same, but also woken at timer tick `deadline` (0: no deadline).  The
 * caller rechecks its condition and the time: either may have woken it. */
int sleep_on_until(struct waitq *q, uint64_t deadline);
/* Make every task sleeping on q runnable.  Safe from interrupt handlers. */
void wake_up(struct waitq *q);

/* Set by the timer when the running task's time slice is over. */
extern volatile int need_resched;

/* Put a runnable task at the end of the run queue. */
void sched_enqueue(struct task *t);
/* Run the first task; never returns to the boot code. */
__attribute__((noreturn)) void sched_start(void);
/* From the timer interrupt. */
void sched_tick(uint64_t now);

/* Give up the CPU to the next runnable task, if any. */
void schedule(void);
void yield(void);

/* Sleep the current task for at least `ticks` timer ticks; 0 or -EINTR. */
int sleep_ticks(uint64_t ticks);

#endif
