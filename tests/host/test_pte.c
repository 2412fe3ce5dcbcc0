/*
 * The page-table walk of kernel/mm/mm.c: page tables made on demand,
 * cleared ranges that skip missing tables and stop at the end of user
 * space, the kernel half shared and untouched, CR3 and the TLB.
 */
#include "harness.h"
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "../../kernel/mm/pte.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define FIX (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

TEST(pte_slot_of_makes_tables_on_demand)
{
	uint32_t free0 = pmm_free_pages();
	struct mm *mm = mm_create();
	CHECK_EQ(free0 - pmm_free_pages(), 1);		/* the directory */
	CHECK(fake_kernel_half_intact(mm));
	for (uint32_t i = 0; i < KERNEL_PDE_FIRST; i++)
		CHECK_EQ(mm->pgdir[i], 0);
	CHECK(pte_slot_of(mm, 0x12345678, false) == 0);
	uint32_t *slot = pte_slot_of(mm, 0x12345678, true);
	CHECK(slot != 0);
	CHECK_EQ(free0 - pmm_free_pages(), 2);		/* and one page table */
	CHECK_EQ(mm->pgdir[0x12345678 >> 22] & (PTE_PRESENT | PTE_WRITE | PTE_USER),
		 PTE_PRESENT | PTE_WRITE | PTE_USER);
	CHECK(pte_slot_of(mm, 0x12345000, false) == slot);
	CHECK(pte_slot_of(mm, 0x12346000, false) == slot + 1);
	CHECK(pte_slot_of(mm, 0x12000000, false) == slot - 0x345);
	fake_pmm_hog(0);
	CHECK(pte_slot_of(mm, 0x40000000, true) == 0);	/* out of memory: NULL */
	fake_pmm_unhog();
	mm_put(mm);					/* the table goes with it */
}

TEST(pte_clear_range_skips_missing_tables_and_stops_at_the_end)
{
	struct mm *mm = mm_create();
	/* Pages at both ends of user space and in a far table; none between. */
	CHECK_EQ(mm_map(mm, 0, USER_END, RW, FIX, 0, 0), 0);
	uint32_t pages[] = { 0, P, 0x003FF000, 0x00400000, 0x7FFFF000, USER_END - 2 * P, USER_END - P };
	for (unsigned i = 0; i < sizeof pages / sizeof pages[0]; i++)
		CHECK_EQ(uwrite(mm, pages[i], i + 1), 0);
	CHECK_EQ(mm_resident_pages(mm), 7);
	uint32_t free0 = pmm_free_pages();
	pte_clear_range(mm, P, USER_END - P);	/* all but the first and last */
	CHECK_EQ(pmm_free_pages() - free0, 5);
	CHECK_EQ(mm_resident_pages(mm), 2);
	CHECK(pte_has_page(pte_of(mm, 0)));
	CHECK(pte_has_page(pte_of(mm, USER_END - P)));
	pte_clear_range(mm, USER_END - P, USER_END);
	CHECK_EQ(mm_resident_pages(mm), 1);
	CHECK(fake_kernel_half_intact(mm));
	/* A range to the very top of the address space ends without wrapping
	 * round to page 0 (the loop's va >= start test). */
	pte_clear_range(mm, 0xFFFFF000, 0xFFFFFFFF);
	CHECK_EQ(mm_resident_pages(mm), 1);
	CHECK(fake_kernel_half_intact(mm));
	mm_put(mm);
}

TEST(the_loaded_space_and_the_tlb)
{
	struct mm *mm = mm_create();
	CHECK_EQ(mm_map(mm, 0x10000000, P, RW, FIX, 0, 0), 0x10000000);
	CHECK_EQ(uwrite(mm, 0x10000000, 5), 0);		/* loads mm, fills the TLB */
	CHECK_EQ(read_cr3(), mm->pgdir_phys);
	CHECK_EQ(fake_tlb_entries(), 1);
	CHECK(pte_of(mm, 0x10000000) & PTE_DIRTY);
	/* Changing a loaded space flushes what changed. */
	CHECK_EQ(mm_protect(mm, 0x10000000, P, PROT_READ), 0);
	CHECK_EQ(fake_tlb_entries(), 0);
	CHECK_EQ(uwrite(mm, 0x10000000, 6), -EFAULT);	/* not through a stale entry */
	uint32_t v;
	CHECK_EQ(uread(mm, 0x10000000, &v), 0);
	CHECK_EQ(mm_unmap(mm, 0x10000000, P), 0);
	CHECK_EQ(fake_tlb_entries(), 0);
	CHECK_EQ(uread(mm, 0x10000000, &v), -EFAULT);
	/* A space that is not loaded needs no flush; one freed while loaded
	 * leaves the CPU on the kernel's directory, never on a freed page. */
	mm_activate(0);
	CHECK_EQ(read_cr3(), kernel_pgdir_phys());
	mm_activate(mm);
	mm_put(mm);
	CHECK_EQ(read_cr3(), kernel_pgdir_phys());
}

TEST(mm_free_gives_back_tables_pages_and_files)
{
	uint32_t free0 = pmm_free_pages();
	struct mm *mm = mm_create();
	struct inode *f = fake_file_create(3);
	for (uint32_t t = 0; t < 8; t++) {	/* eight page tables' worth */
		uint32_t a = 0x08000000 + t * 0x01000000;
		CHECK_EQ(mm_map(mm, a, 2 * P, RW, FIX, 0, 0), a);
		CHECK_EQ(uwrite(mm, a + P, t), 0);
	}
	CHECK_EQ(mm_map(mm, 0x70000000, 3 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 0), 0x70000000);
	uint32_t v;
	CHECK_EQ(uread(mm, 0x70002000, &v), 0);
	CHECK_EQ(mm_protect(mm, 0x08000000, P, PROT_NONE), 0);
	CHECK_EQ(uwrite(mm, 0x09000000, 1), 0);
	mm_put(mm);
	inode_put(f);
	CHECK_EQ(pmm_free_pages(), free0);	/* held, present and file pages alike */
}
