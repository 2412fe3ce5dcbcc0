/*
 * Page faults.
 *
 * mm_fault resolves a fault from the VMAs: demand-zero pages for anonymous
 * memory, the file's own pages for file mappings, and copy-on-write for
 * private pages that are shared (after fork, or still the file's).
 *
 * This file knows nothing of tasks, signals or traps: the trap handler,
 * which turns an unresolved fault into a signal, is page_fault.c.  That
 * keeps it buildable on the host (tests/host/).
 */
#include <kernel/kmap.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "pte.h"

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
