/*
 * Kernel page tables (kernel/mm/paging.c).  The kernel half of every
 * address space is the same: its page tables are allocated once at boot and
 * shared, so a mapping made here is seen by every page directory.
 */
#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H

#include <stdint.h>
#include <stdbool.h>

#define PTE_PRESENT	0x001
#define PTE_WRITE	0x002
#define PTE_USER	0x004
#define PTE_ACCESSED	0x020
#define PTE_DIRTY	0x040
#define PTE_ADDR_MASK	0xFFFFF000u

/* Replace the boot page tables with the direct map of all managed RAM. */
void paging_init(void);
/* Map one kernel page at va (>= HEAP_START) to phys; the page must be unmapped. */
void kmap_page(uint32_t va, uint32_t phys, uint32_t flags);
/* Unmap one kernel page and return the physical page it mapped. */
uint32_t kunmap_page(uint32_t va);
/* The page-table entry for kernel address va, or 0 if none. */
uint32_t kernel_pte(uint32_t va);
/* The kernel page directory's entries (all 1024; the upper 256 are what
 * every address space shares). */
const uint32_t *kernel_pgdir_entries(void);
/* The physical address of the kernel page directory. */
uint32_t kernel_pgdir_phys(void);

#endif
