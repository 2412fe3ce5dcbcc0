/*
 * Page-table helpers private to kernel/mm: walking the user half of an
 * address space's page directory.
 *
 * A user PTE is in one of three states:
 *   0                        nothing mapped: the fault handler consults the VMA;
 *   PTE_PRESENT | ...        a page the CPU may use (PTE_WRITE if writable now);
 *   PTE_HELD (not present)   a page still owned by the mapping but not
 *                            accessible (PROT_NONE); the CPU ignores the other
 *                            bits of a non-present entry, so bit 9 is ours.
 * Either of the last two holds one reference on the page.
 */
#ifndef KERNEL_MM_PTE_H
#define KERNEL_MM_PTE_H

#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/paging.h>
#include <stdbool.h>

#define PTE_HELD	0x200
#define PDE_INDEX(va)	((va) >> 22)
#define PTE_INDEX(va)	(((va) >> 12) & 0x3FF)
#define PAGE_DOWN(a)	((a) & ~(uint32_t)(PAGE_SIZE - 1))
#define PAGE_UP(a)	(((a) + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1))

/* The PTE slot of va; with create, allocate its page table if missing
 * (NULL then means out of memory). */
uint32_t *pte_slot_of(struct mm *mm, uint32_t va, bool create);

/* True when the entry owns a page (present or held). */
static inline bool pte_has_page(uint32_t pte) { return pte & (PTE_PRESENT | PTE_HELD); }

/* Drop the pages mapped in [start, end) and clear their entries. */
void pte_clear_range(struct mm *mm, uint32_t start, uint32_t end);

/* Remove every mapping in [start, end) (page-aligned, in user space):
 * the shared core of munmap and of shrinking brk.  0 or -ENOMEM. */
int mm_unmap_range(struct mm *mm, uint32_t start, uint32_t end);

/* Invalidate va in the TLB if mm is the address space loaded now. */
void tlb_flush_page(struct mm *mm, uint32_t va);
void tlb_flush_all(struct mm *mm);

/* VMA list helpers (vma.c). */
int vma_split_at(struct mm *mm, uint32_t addr);	/* make addr a VMA boundary */
int vma_split_range(struct mm *mm, uint32_t start, uint32_t end);	/* both boundaries, or neither */
void vma_link(struct mm *mm, struct vma *v);	/* insert in address order */
void vma_free(struct vma *v);
struct vma *vma_merge(struct mm *mm, struct vma *v);	/* join neighbours it continues */
/* If want's range is free and want continues the VMA that ends where it
 * starts, grow that VMA over it (and merge on, as vma_merge would) and
 * return it; else NULL, nothing changed.  Only want's fields are read. */
struct vma *vma_grow_into(struct mm *mm, const struct vma *want);
bool vma_range_free(struct mm *mm, uint32_t start, uint32_t end);

#endif
