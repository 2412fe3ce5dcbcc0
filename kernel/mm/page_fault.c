/*
 * The page-fault trap handler: where mm meets tasks, signals and the
 * out-of-memory killer.  mm_fault (fault.c) resolves the fault from the
 * VMAs; a fault it cannot resolve is, from user mode, the death of the
 * task by SIGSEGV or SIGBUS; from the kernel, it is either a user-access
 * routine touching a bad user pointer (which then returns -EFAULT, see
 * uaccess.c) or a kernel bug (panic).
 */
#include <kernel/oom.h>
#include <kernel/sched.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/x86.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include "pte.h"

#define PF_PRESENT	0x1	/* error code: the page was present (a protection fault) */
#define PF_WRITE	0x2
#define PF_USER		0x4

bool uaccess_fixup(struct trapframe *tf);

void page_fault(struct trapframe *tf)
{
	uint32_t addr = read_cr2();
	bool user = trap_from_user(tf);
	int err = -EFAULT;
	/* The space the CPU is in: the task's home, or a guest space (altmm). */
	struct mm *mm = current ? current->active_mm : 0;
	if (addr < USER_END && mm) {
		/* Interrupts back on: resolving may take a while, nothing here races. */
		sti();
		err = mm_fault(mm, addr, tf->err & PF_WRITE);
		cli();
		if (err == 0) {
			current->min_flt++;	/* getrusage's ru_minflt: no fault reads a disk here */
			return;
		}
	}
	if (user) {
		current->trap_nr = T_PAGE_FAULT;
		current->trap_err = tf->err;
		current->trap_cr2 = addr;
		if (err == -ENOMEM) {
			if (oom_kill()) {
				need_resched = 1;	/* let the victim run (and die); then again */
				return;
			}
			printk("%s[%d]: out of memory at %08x, and nothing else to kill: killed\n",
			       current->comm, current->pid, addr);
			force_signal(current, SIGKILL, SI_KERNEL, 0);
		} else if (err == -EIO) {
			force_trap_signal(tf, SIGBUS, BUS_ADRERR, addr);
		} else {
			/* Nothing mapped there, or a mapping that forbids the access. */
			bool mapped = addr < USER_END && mm && vma_find(mm, addr);
			force_trap_signal(tf, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, addr);
		}
		return;
	}
	if (uaccess_fixup(tf))
		return;
	panic_trap(tf, "unexpected trap");
}
