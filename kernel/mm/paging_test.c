/* Self-tests of the kernel page tables (kernel/mm/paging.c). */
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>
#include <kernel/x86.h>

extern const char kernel_start[], kernel_rodata_end[], kernel_end[];

SELFTEST(paging_direct_map)
{
	EXPECT(read_cr3() == kernel_pgdir_phys());
	uint32_t pte = kernel_pte(KERNEL_VIRT + 0x200000);
	EXPECT(pte & PTE_PRESENT);
	EXPECT((pte & PTE_ADDR_MASK) == 0x200000);
	/* The last managed page is mapped, the identity map of boot.S is gone. */
	uint32_t last = pmm_direct_map_end() - PAGE_SIZE;
	EXPECT((kernel_pte(KERNEL_VIRT + last) & PTE_ADDR_MASK) == last);
	EXPECT(kernel_pte(0x100000) == 0);
	EXPECT(kernel_pte(0) == 0);
}

SELFTEST(paging_kernel_text_readonly)
{
	uint32_t text = kernel_pte((uint32_t)kernel_start);
	uint32_t rodata = kernel_pte((uint32_t)kernel_rodata_end - 1);
	uint32_t data = kernel_pte((uint32_t)kernel_end - 1);
	EXPECT(text & PTE_PRESENT);
	EXPECT(!(text & PTE_WRITE));
	EXPECT(!(rodata & PTE_WRITE));
	EXPECT(data & PTE_WRITE);
	EXPECT(read_cr0() & 0x10000);	/* CR0.WP: the kernel obeys read-only too */
}

SELFTEST(paging_map_unmap)
{
	uint32_t before = pmm_free_pages();
	uint32_t va = HEAP_END - PAGE_SIZE;	/* the heap never reaches its last page here */
	EXPECT(kernel_pte(va) == 0);
	uint32_t phys = pmm_alloc_page();
	EXPECT(phys);
	kmap_page(va, phys, PTE_WRITE);
	EXPECT((kernel_pte(va) & PTE_ADDR_MASK) == phys);
	*(volatile uint32_t *)va = 0xC0FFEE;
	/* The same page seen through the direct map. */
	EXPECT(*(volatile uint32_t *)phys_to_virt(phys) == 0xC0FFEE);
	EXPECT(kunmap_page(va) == phys);
	EXPECT(kernel_pte(va) == 0);
	pmm_free_page(phys);
	EXPECT(pmm_free_pages() == before);
}
