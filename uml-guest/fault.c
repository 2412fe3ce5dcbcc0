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
 * When guest memory runs out, the process with the most pages present
 * dies (SIGKILL), never init, as on the host kernel and on Linux; the one
 * whose fault found no page tries again once the victim has gone.
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

/* Kill the biggest process, or wait for the last one killed to go: 1
 * when memory is on its way back, 0 when nothing may be killed.  The
 * victim is marked in its slot, not remembered by pid: a new process
 * with the dead victim's reused pid is not it. */
static int oom_kill(void)
{
	for (int i = 0; i < proc_slots; i++)
		if (procs[i]->oom_victim && procs[i]->state != P_FREE && procs[i]->state != P_ZOMBIE)
			return 1;
	struct proc *best = NULL;
	unsigned best_pages = 0;
	for (int i = 0; i < proc_slots; i++) {
		struct proc *q = procs[i];
		if (q->state == P_FREE || q->state == P_ZOMBIE || q->pid == 1 || !q->mm)
			continue;
		unsigned n = pt_resident(q->mm);
		if (!best || n > best_pages) {
			best = q;
			best_pages = n;
		}
	}
	if (!best)
		return 0;
	klog("out of memory: pid %d (%s) killed, %u KiB resident", best->pid, best->comm, best_pages * 4);
	sig_force(best, SIGKILL, NULL);
	best->oom_victim = 1;
	return 1;
}

void fault_entry(struct proc *p, int sig, const siginfo_t *si)
{
	if (sig == SIGSEGV && p->regs.trapno == TRAP_PAGE_FAULT) {
		uint32_t addr = p->regs.cr2;
		int r = pt_fault_in(p->mm, addr, p->regs.err & PF_WRITE);
		if (r == 0) {
			p->min_flt++;           /* getrusage's ru_minflt */
			return;                 /* repaired: the instruction runs again */
		}
		if (r == -ENOMEM) {
			if (oom_kill()) {
				need_resched = 1;       /* let the victim run (and die); then again */
				return;
			}
			klog("out of memory: pid %d (%s), and nothing else to kill: killed", p->pid, p->comm);
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
