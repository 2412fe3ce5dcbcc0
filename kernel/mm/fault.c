/*
 * Page faults.
 *
 * mm_fault resolves a fault from the VMAs: demand-zero pages for anonymous
 * memory, the file's own pages for file mappings, and copy-on-write for
 * private pages that are shared (after fork, or still the file's).
 *
 * page_fault is the trap handler.  A fault it cannot resolve is, from user
 * mode, the death of the task by SIGSEGV or SIGBUS (signal delivery comes
 * with the signals issue); from the kernel, it is either a user-access
 * routine touching a bad user pointer (which then returns -EFAULT, see
 * uaccess.c) or a kernel bug (panic).
 */
#include <kernel/kmap.h>
#include <kernel/oom.h>
#include <kernel/sched.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/vfs.h>
#include <kernel/x86.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/signal.h>
#include "pte.h"

#define PF_PRESENT	0x1	/* error code: the page was present (a protection fault) */
#define PF_WRITE	0x2
#define PF_USER		0x4

bool uaccess_fixup(struct trapframe *tf);

/* Allocate a copy of the page at phys. 0 when out of memory. */
static uint32_t copy_page(uint32_t phys)
{
	uint32_t copy = pmm_alloc_user_page();
	if (copy) {
		void *to = kmap(copy), *from = kmap(phys);
		memcpy(to, from, PAGE_SIZE);
		kunmap(from);
		kunmap(to);
	}
	return copy;
}

/* The page table entry bits a VMA grants to a page it may write now. */
static uint32_t pte_bits(const struct vma *v, bool writable)
{
	return PTE_PRESENT | PTE_USER | (writable && (v->prot & PROT_WRITE) ? PTE_WRITE : 0);
}

/* A write to a present, read-only page of a writable VMA. */
static int write_protect_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t *slot)
{
	uint32_t phys = *slot & PTE_ADDR_MASK;
	if (!(v->flags & VMA_SHARED) && pmm_page_refs(phys) > 1) {
		uint32_t copy = copy_page(phys);
		if (!copy)
			return -ENOMEM;
		pmm_page_put(phys);
		phys = copy;
	}
	*slot = phys | pte_bits(v, true);
	tlb_flush_page(mm, va);
	return 0;
}

/* A first touch of a page: find what belongs there. */
static int not_present_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t *slot, bool write)
{
	uint32_t phys;
	bool writable = write || (v->flags & VMA_SHARED);
	if (!v->inode) {
		phys = pmm_alloc_user_page();	/* zero-filled */
		if (!phys)
			return -ENOMEM;
		writable = true;		/* a fresh page is ours alone */
	} else {
		uint32_t index = v->pgoff + (va - v->start) / PAGE_SIZE;
		int err = vfs_get_page(v->inode, index, &phys);
		if (err)
			return err == -ENXIO ? -EIO : err;
		if (write && !(v->flags & VMA_SHARED)) {
			uint32_t copy = copy_page(phys);	/* private: never write the file */
			pmm_page_put(phys);
			if (!copy)
				return -ENOMEM;
			phys = copy;
		}
	}
	*slot = phys | pte_bits(v, writable);
	tlb_flush_page(mm, va);
	return 0;
}

int mm_fault(struct mm *mm, uint32_t addr, bool write)
{
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if (write ? !(v->prot & PROT_WRITE) : !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EFAULT;
	uint32_t va = PAGE_DOWN(addr);
	uint32_t *slot = pte_slot_of(mm, va, true);
	if (!slot)
		return -ENOMEM;
	if (*slot & PTE_PRESENT) {
		if (!write || (*slot & PTE_WRITE))
			return 0;	/* already fine: another path resolved it */
		return write_protect_fault(mm, v, va, slot);
	}
	if (*slot & PTE_HELD)
		return -EFAULT;	/* PROT_NONE pages are held, never accessible */
	if ((v->flags & VMA_STACK) && v->end - va > mm->stack_limit)
		return -EFAULT;	/* the stack would grow past RLIMIT_STACK (Linux: SIGSEGV) */
	return not_present_fault(mm, v, va, slot, write);
}

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
		if (err == 0)
			return;
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
