/*
 * The last thing on every way back to user mode (trap_dispatch for
 * interrupts and exceptions, syscall_trap for system calls): reschedule
 * if asked, then deliver the signals that are due.  Inline because every
 * system call passes here, and usually finds nothing to do.
 */
#ifndef KERNEL_USER_RETURN_H
#define KERNEL_USER_RETURN_H

#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/task.h>

static inline void trap_return_to_user(struct trapframe *tf)
{
	if (need_resched)
		schedule();
	if (current->sig_work)	/* the one word the way back to user mode tests */
		signal_deliver(tf);
}

#endif
