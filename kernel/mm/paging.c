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
 *   - empty page tables for the heap region, filled by kmap_page;
 *   - the kmap window's page table (kernel/mm/kmap.c).
 * Every kernel page table is made here, once, so later page directories
 * can share the kernel half by copying its 256 PDEs, and a kernel mapping
 * made afterwards is seen in all of them.  The identity map of boot.S is
 * not carried over: address 0 faults from now on.
 *
 * The page tables of the direct map may lie anywhere in low memory: a
 * large initrd can fill all of the first 16 MiB, which is all boot.S
 * maps.  So each is written through the kmap window, which reaches any
 * page, and only then hooked into the directory.
 */
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/x86.h>
#include "pte.h"

extern const char kernel_start[], kernel_rodata_end[];

static uint32_t kernel_pgdir[1024] __attribute__((aligned(PAGE_SIZE)));

/* A page table for the kernel half at va; filled by fill(pt, va) through
 * the window, then put in the directory. */
static void new_page_table(uint32_t va, void (*fill)(uint32_t *pt, uint32_t va))
{
	uint32_t phys = pmm_alloc_page();
	if (!phys)
		panic("out of memory for kernel page tables");
	if (fill) {
		uint32_t *pt = kmap(phys);
		fill(pt, va);
		kunmap(pt);
	}
	kernel_pgdir[PDE_INDEX(va)] = phys | PTE_PRESENT | PTE_WRITE;
}

/* The direct map's entries for the 4 MiB at va. */
static void fill_direct(uint32_t *pt, uint32_t va)
{
	uint32_t end = KERNEL_VIRT + pmm_direct_map_end();
	uint32_t ro_start = (uint32_t)(uintptr_t)kernel_start, ro_end = (uint32_t)(uintptr_t)kernel_rodata_end;
	for (uint32_t i = 0; i < 1024 && va + i * PAGE_SIZE < end; i++) {
		uint32_t page = va + i * PAGE_SIZE;
		uint32_t flags = PTE_PRESENT;
		if (page < ro_start || page >= ro_end)
			flags |= PTE_WRITE;
		pt[i] = virt_to_phys((void *)(uintptr_t)page) | flags;
	}
}

void paging_init(void)
{
	/* Move onto our own directory first, keeping boot.S's map of the
	 * first 16 MiB (which the code runs in) and adding the window. */
	const uint32_t *early = phys_to_virt(read_cr3());
	memcpy(&kernel_pgdir[KERNEL_PDE_FIRST], &early[KERNEL_PDE_FIRST],
	       EARLY_MAP_PGTABLES * sizeof(uint32_t));
	kmap_init(kernel_pgdir);
	write_cr3(kernel_pgdir_phys());

	uint32_t end = pmm_direct_map_end();
	for (uint32_t phys = 0; phys < end; phys += 0x400000)
		new_page_table(KERNEL_VIRT + phys, fill_direct);
	for (uint32_t va = HEAP_START; va < HEAP_END; va += 0x400000)
		new_page_table(va, 0);
	write_cr3(kernel_pgdir_phys());	/* drop boot.S's entries from the TLB */
	kmap_set_direct_end(end);
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
