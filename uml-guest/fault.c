/*
 * Faults of guest processes.
 *
 * The host resolves on its own every fault that a process's host space
 * can resolve (a page we mapped, touched for the first time).  What
 * reaches us is what only we can answer, as SIGSEGV with the page-fault
 * error code and address (trapno 14, err, cr2):
 *
 *   - a page of one of its areas that has never been touched: give it a
 *     zeroed page (demand paging);
 *   - a write to a page it shares copy-on-write since fork: give it its
 *     own copy, or just write access if it is the last one holding it;
 *   - a page of a file mapping wholly beyond the end of the file: SIGBUS;
 *   - anything else: the process did something wrong, and gets SIGSEGV
 *     from us (its handler runs, or it dies), exactly as it would on Linux.
 *
 * Other traps (ud2, a division by zero, int3, a general protection fault)
 * are passed on to the process as the host reported them.  In every case
 * the guest kernel itself is untouched: the host only ever delivered a
 * signal to us.
 */
#include "uml.h"
#include <string.h>

#define PF_WRITE 2      /* error code bit: the access was a write */
#define TRAP_PAGE_FAULT 14

void fault_entry(struct proc *p, int sig, const siginfo_t *si)
{
	if (sig == SIGSEGV && p->regs.trapno == TRAP_PAGE_FAULT) {
		uint32_t addr = p->regs.cr2;
		int r = pt_fault_in(p->mm, addr, p->regs.err & PF_WRITE);
		if (r == 0)
			return;                 /* repaired: the instruction runs again */
		if (r == -ENOMEM) {
			klog("out of memory: pid %d (%s) killed", p->pid, p->comm);
			sig_force(p, SIGKILL, NULL);
			return;
		}
		if (r == 1)
			klog("pid %d: fault at %#x on a page that is there", p->pid, addr);
		siginfo_t info;
		memset(&info, 0, sizeof info);
		info.si_signo = r == -EIO ? SIGBUS : SIGSEGV;
		info.si_code = r == -EIO ? BUS_ADRERR : vma_find(p->mm, addr) ? SEGV_ACCERR : SEGV_MAPERR;
		info.si_addr = (void *)addr;
		sig_force(p, info.si_signo, &info);
		return;
	}
	sig_force(p, sig, si);
}
