/*
 * Address-space objects: creation, copy-on-write fork, destruction, and
 * the page-table walking the rest of kernel/mm shares.
 *
 * The upper quarter of every page directory (entries 768-1023) is a copy
 * of the kernel's, made at creation; the kernel page tables it points to
 * are shared by all.  The lower part is this address space's own: page
 * tables allocated on demand, and freed with the mm.
 */
#include <kernel/heap.h>
#include <kernel/kmap.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/vfs.h>
#include <kernel/x86.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "pte.h"

#define USER_PDES KERNEL_PDE_FIRST	/* directory entries of the user half */

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof *mm);
	uint32_t phys = pmm_alloc_page();
	if (!mm || !phys) {
		kfree(mm);
		if (phys)
			pmm_free_page(phys);
		return 0;
	}
	mm->refcount = 1;
	mm->stack_limit = USER_STACK_SIZE;
	mm->pgdir_phys = phys;
	mm->pgdir = phys_to_virt(phys);
	memcpy(mm->pgdir + USER_PDES, kernel_pgdir_entries() + USER_PDES,
	       (1024 - USER_PDES) * sizeof(uint32_t));
	return mm;
}

void mm_free(struct mm *mm)
{
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		pte_clear_range(mm, v->start, v->end);
		mm->vmas = v->next;
		vma_free(v);
	}
	for (uint32_t i = 0; i < USER_PDES; i++)
		if (mm->pgdir[i] & PTE_PRESENT)
			pmm_free_page(mm->pgdir[i] & PTE_ADDR_MASK);
	if (read_cr3() == mm->pgdir_phys)
		write_cr3(kernel_pgdir_phys());	/* never run on a freed directory */
	pmm_free_page(mm->pgdir_phys);
	if (mm->exe) {
		inode_allow_write(mm->exe);
		inode_put(mm->exe);
	}
	kfree(mm);
}

void tlb_flush_page(struct mm *mm, uint32_t va)
{
	if (read_cr3() == mm->pgdir_phys)
		invlpg(va);
}

void tlb_flush_all(struct mm *mm)
{
	if (read_cr3() == mm->pgdir_phys)
		write_cr3(mm->pgdir_phys);
}

uint32_t *pte_slot_of(struct mm *mm, uint32_t va, bool create)
{
	uint32_t *pde = &mm->pgdir[PDE_INDEX(va)];
	if (!(*pde & PTE_PRESENT)) {
		if (!create)
			return 0;
		uint32_t pt = pmm_alloc_page();
		if (!pt)
			return 0;
		/* Permission is decided per page: the directory entry allows all. */
		*pde = pt | PTE_PRESENT | PTE_WRITE | PTE_USER;
	}
	uint32_t *table = phys_to_virt(*pde & PTE_ADDR_MASK);
	return &table[PTE_INDEX(va)];
}

void pte_clear_range(struct mm *mm, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end && va >= start; va += PAGE_SIZE) {
		uint32_t *slot = pte_slot_of(mm, va, false);
		if (!slot) {	/* no page table: skip to the next 4 MiB */
			va = (va | 0x3FFFFF) - (PAGE_SIZE - 1);
			continue;
		}
		if (pte_has_page(*slot)) {
			pmm_page_put(*slot & PTE_ADDR_MASK);
			*slot = 0;
			tlb_flush_page(mm, va);
		}
	}
}

/*
 * fork: the child gets copies of the VMAs and shares every page.  Pages of
 * private mappings become read-only in both, so the first write by either
 * side faults and copies (kernel/mm/fault.c).
 */
struct mm *mm_fork(struct mm *old)
{
	struct mm *mm = mm_create();
	if (!mm)
		return 0;
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->stack_limit = old->stack_limit;
	if (old->exe) {			/* denied already, so this cannot fail */
		inode_get(old->exe);
		inode_deny_write(old->exe);
		mm->exe = old->exe;
	}
	mm->start_code = old->start_code, mm->end_code = old->end_code;
	mm->start_data = old->start_data, mm->end_data = old->end_data;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start, mm->arg_end = old->arg_end;
	mm->env_start = old->env_start, mm->env_end = old->env_end;
	mm->hiwater_vm = old->hiwater_vm;
	mm->hiwater_rss = old->hiwater_rss;
	struct vma **tail = &mm->vmas;
	for (struct vma *v = old->vmas; v; v = v->next) {
		if (v->flags & VMA_DONTFORK)
			continue;		/* madvise(MADV_DONTFORK): not the child's */
		struct vma *copy = kmalloc(sizeof *copy);
		if (!copy)
			goto fail;
		*copy = *v;
		copy->next = 0;
		if (copy->inode)
			inode_get(copy->inode);
		*tail = copy;
		tail = &copy->next;
		if (v->flags & VMA_WIPEONFORK)
			continue;		/* the child's starts empty: zeros */
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint32_t *src = pte_slot_of(old, va, false);
			if (!src) {
				va = (va | 0x3FFFFF) - (PAGE_SIZE - 1);
				continue;
			}
			if (!pte_has_page(*src))
				continue;
			uint32_t *dst = pte_slot_of(mm, va, true);
			if (!dst)
				goto fail;
			if (!(v->flags & VMA_SHARED))
				*src &= ~PTE_WRITE;
			*dst = *src;
			pmm_page_get(*src & PTE_ADDR_MASK);
		}
	}
	tlb_flush_all(old);
	return mm;
fail:
	tlb_flush_all(old);
	mm_put(mm);
	return 0;
}

int mm_write(struct mm *mm, uint32_t addr, const void *src, size_t n)
{
	const uint8_t *s = src;
	while (n) {
		uint32_t *slot = pte_slot_of(mm, addr, false);
		if (!slot || !(*slot & PTE_PRESENT) || !(*slot & PTE_WRITE)) {
			if (mm_fault(mm, addr, true))
				return -EFAULT;
			slot = pte_slot_of(mm, addr, false);
		}
		uint32_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > n)
			chunk = n;
		uint8_t *page = kmap(*slot & PTE_ADDR_MASK);
		memcpy(page + (addr & (PAGE_SIZE - 1)), s, chunk);
		kunmap(page);
		s += chunk;
		addr += chunk;
		n -= chunk;
	}
	return 0;
}

int mm_read(struct mm *mm, uint32_t addr, void *dst, size_t n)
{
	uint8_t *d = dst;
	while (n) {
		uint32_t pte = mm_pte(mm, addr);
		if (!pte)
			return -EFAULT;
		uint32_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > n)
			chunk = n;
		uint8_t *page = kmap(pte & PTE_ADDR_MASK);
		memcpy(d, page + (addr & (PAGE_SIZE - 1)), chunk);
		kunmap(page);
		d += chunk;
		addr += chunk;
		n -= chunk;
	}
	return 0;
}

uint32_t mm_pte(struct mm *mm, uint32_t addr)
{
	uint32_t *slot = addr < USER_END ? pte_slot_of(mm, addr, false) : 0;
	/* A page held but not present (PROT_NONE) is resident all the same. */
	return slot && pte_has_page(*slot) ? (*slot & PTE_ADDR_MASK) | PTE_PRESENT : 0;
}

uint32_t mm_table_pages(struct mm *mm)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < USER_PDES; i++)
		n += (mm->pgdir[i] & PTE_PRESENT) != 0;
	return n;
}

uint32_t mm_total_vm(struct mm *mm)
{
	uint32_t n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n += (v->end - v->start) / PAGE_SIZE;
	if (n > mm->hiwater_vm)
		mm->hiwater_vm = n;
	return n;
}

uint32_t mm_resident_pages(struct mm *mm)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < USER_PDES; i++) {
		if (!(mm->pgdir[i] & PTE_PRESENT))
			continue;
		const uint32_t *table = phys_to_virt(mm->pgdir[i] & PTE_ADDR_MASK);
		for (int j = 0; j < 1024; j++)
			if (table[j] & PTE_PRESENT)
				n++;
	}
	return n;
}
