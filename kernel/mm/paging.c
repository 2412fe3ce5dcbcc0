/*
 * The kernel's page tables.
 *
 * i386 two-level paging: CR3 holds the physical address of a page directory
 * of 1024 entries (PDEs), each pointing at a page table of 1024 entries
 * (PTEs), each mapping one 4 KiB page.  A virtual address splits into
 * PDE index (bits 31-22), PTE index (21-12) and offset (11-0).
 *
 * paging_init builds the final kernel half:
 *   - the direct map: physical 0 .. pmm_direct_map_end() at KERNEL_VIRT,
 *     read-only for the kernel's text and rodata, writable elsewhere;
 *   - empty page tables for the heap region, filled by kmap_page.
 * Every kernel page table is allocated here, once, so later page
 * directories can share the kernel half by copying its 256 PDEs, and a
 * kernel mapping made afterwards is seen in all of them.  The identity map
 * of boot.S is not carried over: address 0 faults from now on.
 */
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/x86.h>
#include "pte.h"

extern const char kernel_start[], kernel_rodata_end[];

static uint32_t kernel_pgdir[1024] __attribute__((aligned(PAGE_SIZE)));

/* A page table for the kernel half; it must be reachable before the switch. */
static uint32_t *new_page_table(uint32_t va)
{
	uint32_t phys = pmm_alloc_page();
	if (!phys)
		panic("out of memory for kernel page tables");
	if (phys >= EARLY_MAP_SIZE)
		panic("kernel page table at %08x is above the early map", phys);
	kernel_pgdir[PDE_INDEX(va)] = phys | PTE_PRESENT | PTE_WRITE;
	return phys_to_virt(phys);
}

void paging_init(void)
{
	uint32_t end = pmm_direct_map_end();
	uint32_t ro_start = (uint32_t)kernel_start, ro_end = (uint32_t)kernel_rodata_end;
	uint32_t *pt = 0;

	for (uint32_t phys = 0; phys < end; phys += PAGE_SIZE) {
		uint32_t va = KERNEL_VIRT + phys;
		if (PTE_INDEX(va) == 0)
			pt = new_page_table(va);
		uint32_t flags = PTE_PRESENT;
		if (va < ro_start || va >= ro_end)
			flags |= PTE_WRITE;
		pt[PTE_INDEX(va)] = phys | flags;
	}
	for (uint32_t va = HEAP_START; va < HEAP_END; va += 0x400000)
		new_page_table(va);

	write_cr3(kernel_pgdir_phys());
}

const uint32_t *kernel_pgdir_entries(void)
{
	return kernel_pgdir;
}

uint32_t kernel_pgdir_phys(void)
{
	return virt_to_phys(kernel_pgdir);
}

/* The PTE slot for va in the kernel's tables, or NULL if no page table covers it. */
static uint32_t *pte_slot(uint32_t va)
{
	uint32_t pde = kernel_pgdir[PDE_INDEX(va)];
	if (!(pde & PTE_PRESENT))
		return 0;
	uint32_t *pt = phys_to_virt(pde & PTE_ADDR_MASK);
	return &pt[PTE_INDEX(va)];
}

uint32_t kernel_pte(uint32_t va)
{
	uint32_t *slot = pte_slot(va);
	return slot ? *slot : 0;
}

void kmap_page(uint32_t va, uint32_t phys, uint32_t flags)
{
	uint32_t *slot = pte_slot(va);
	if (va < HEAP_START || va >= HEAP_END || (va | phys) % PAGE_SIZE || !slot)
		panic("kmap_page(%08x, %08x): not a page of the kernel's mappable region", va, phys);
	if (*slot & PTE_PRESENT)
		panic("kmap_page(%08x): already mapped to %08x", va, *slot & PTE_ADDR_MASK);
	*slot = phys | flags | PTE_PRESENT;
}

uint32_t kunmap_page(uint32_t va)
{
	uint32_t *slot = pte_slot(va);
	if (va < HEAP_START || va >= HEAP_END || !slot || !(*slot & PTE_PRESENT))
		panic("kunmap_page(%08x): not mapped", va);
	uint32_t phys = *slot & PTE_ADDR_MASK;
	*slot = 0;
	invlpg(va);
	return phys;
}
