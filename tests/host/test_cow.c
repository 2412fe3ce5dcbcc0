/*
 * Page faults and copy-on-write (kernel/mm/fault.c, mm_fork in mm.c):
 * demand-zero pages, file pages, private copies, fork's sharing, and
 * every out-of-memory path giving back what it took.
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
#define A 0x10000000u

static uint32_t frame(struct mm *mm, uint32_t va) { return pte_of(mm, va) & PTE_ADDR_MASK; }

TEST(fault_demand_zero_and_rights)
{
	struct mm *mm = mm_create();
	CHECK_EQ(mm_map(mm, A, 2 * P, RW, FIX, 0, 0), A);
	CHECK_EQ(mm_map(mm, A + 2 * P, P, PROT_READ, FIX, 0, 0), A + 2 * P);
	CHECK_EQ(pte_of(mm, A), 0);		/* nothing until touched */
	uint32_t v = 1;
	CHECK_EQ(uread(mm, A + P, &v), 0);
	CHECK_EQ(v, 0);
	CHECK(pte_of(mm, A + P) & PTE_WRITE);	/* a fresh page is ours: writable at once */
	CHECK_EQ(uread(mm, A + 2 * P, &v), 0);
	CHECK(!(pte_of(mm, A + 2 * P) & PTE_WRITE));
	CHECK_EQ(uwrite(mm, A + 2 * P, 1), -EFAULT);
	CHECK_EQ(uread(mm, A + 3 * P, &v), -EFAULT);	/* no VMA */
	CHECK_EQ(mm_fault(mm, A - 1, false), -EFAULT);
	CHECK_EQ(mm_fault(mm, USER_END, false), -EFAULT);
	CHECK_EQ(mm_fault(mm, 0xFFFFFFFF, true), -EFAULT);
	mm_put(mm);
}

TEST(fault_file_pages_private_and_shared)
{
	struct mm *mm = mm_create();
	struct inode *f = fake_file_create(2);
	CHECK_EQ(mm_map(mm, A, 3 * P, RW, MAP_PRIVATE | MAP_FIXED, f, 0), A);
	CHECK_EQ(mm_map(mm, A + 4 * P, 2 * P, RW, MAP_SHARED | MAP_FIXED, f, 0), A + 4 * P);
	uint32_t v;
	CHECK_EQ(uread(mm, A, &v), 0);
	CHECK_EQ(frame(mm, A), fake_file_page(f, 0));	/* the file's own page, read-only */
	CHECK(!(pte_of(mm, A) & PTE_WRITE));
	CHECK_EQ(uwrite(mm, A + 4 * P, 0x1234), 0);	/* shared: the file changes */
	CHECK_EQ(frame(mm, A + 4 * P), fake_file_page(f, 0));
	CHECK_EQ(uread(mm, A, &v), 0);
	CHECK_EQ(v, 0x1234);				/* and the private view sees it */
	CHECK_EQ(uwrite(mm, A, 0x5678), 0);		/* private write: a copy */
	CHECK(frame(mm, A) != fake_file_page(f, 0));
	CHECK_EQ(uread(mm, A + 4 * P, &v), 0);
	CHECK_EQ(v, 0x1234);				/* the file kept its bytes */
	CHECK_EQ(pmm_page_refs(fake_file_page(f, 0)), 2);	/* the file's and the shared PTE's */
	CHECK_EQ(uwrite(mm, A + P, 9), 0);		/* first touch by a write: copied at once */
	CHECK(frame(mm, A + P) != fake_file_page(f, 1));
	CHECK_EQ(*(uint32_t *)fake_phys(fake_file_page(f, 1)), 0);
	CHECK_EQ(uread(mm, A + 2 * P, &v), -EIO);	/* past the end of the file: SIGBUS */
	CHECK_EQ(uread(mm, A + 6 * P, &v), -EFAULT);
	mm_put(mm);
	CHECK_EQ(pmm_page_refs(fake_file_page(f, 0)), 1);
	inode_put(f);
}

TEST(fork_shares_then_copies_on_write)
{
	struct mm *parent = mm_create();
	CHECK_EQ(mm_map(parent, A, 2 * P, RW, FIX, 0, 0), A);
	CHECK_EQ(uwrite(parent, A, 111), 0);
	CHECK_EQ(uwrite(parent, A + P, 222), 0);
	parent->brk_start = 0x08100000;
	parent->brk = 0x08100010;
	/* The parent's writable translation is in the TLB now: fork must
	 * flush it, or the parent's next write would land in the shared page. */
	struct mm *child = mm_fork(parent);
	CHECK(child != 0);
	CHECK_EQ(child->brk, 0x08100010);
	CHECK_EQ(child->brk_start, 0x08100000);
	CHECK_EQ(frame(child, A), frame(parent, A));
	CHECK_EQ(pmm_page_refs(frame(parent, A)), 2);
	CHECK(!(pte_of(parent, A) & PTE_WRITE));
	CHECK(!(pte_of(child, A) & PTE_WRITE));
	CHECK(fake_kernel_half_intact(child));
	CHECK_EQ(read_cr3(), parent->pgdir_phys);	/* still loaded: no CR3 write since */
	CHECK_EQ(uwrite(parent, A, 333), 0);		/* through the (flushed) TLB */
	uint32_t v;
	CHECK_EQ(uread(child, A, &v), 0);
	CHECK_EQ(v, 111);
	CHECK_EQ(uread(parent, A, &v), 0);
	CHECK_EQ(v, 333);
	CHECK(frame(child, A) != frame(parent, A));
	CHECK_EQ(pmm_page_refs(frame(child, A)), 1);
	/* The other side's last sharer writes in place, no copy. */
	uint32_t before = frame(child, A + P);
	CHECK_EQ(uwrite(parent, A + P, 444), 0);
	CHECK_EQ(uwrite(child, A + P, 555), 0);
	CHECK_EQ(frame(child, A + P), before);
	CHECK_EQ(uread(parent, A + P, &v), 0);
	CHECK_EQ(v, 444);
	mm_put(parent);
	CHECK_EQ(uread(child, A + P, &v), 0);
	CHECK_EQ(v, 555);
	mm_put(child);
}

TEST(fork_keeps_shared_mappings_shared)
{
	struct mm *parent = mm_create();
	struct inode *f = fake_file_create(1);
	CHECK_EQ(mm_map(parent, A, P, RW, MAP_SHARED | MAP_FIXED, f, 0), A);
	CHECK_EQ(uwrite(parent, A, 1), 0);
	struct mm *child = mm_fork(parent);
	CHECK(pte_of(parent, A) & PTE_WRITE);	/* shared pages stay writable */
	CHECK_EQ(uwrite(child, A, 2), 0);
	uint32_t v;
	CHECK_EQ(uread(parent, A, &v), 0);
	CHECK_EQ(v, 2);
	CHECK_EQ(fake_file_refs(f), 3);
	mm_put(child);
	mm_put(parent);
	inode_put(f);
}

/* Fill a space worth forking: pages in two page tables, a file mapping. */
static struct mm *populated(struct inode *f)
{
	struct mm *mm = mm_create();
	mm_map(mm, A, 4 * P, RW, FIX, 0, 0);
	mm_map(mm, A + 0x400000, 2 * P, RW, FIX, 0, 0);
	mm_map(mm, A + 0x800000, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 0);
	for (uint32_t i = 0; i < 4; i++)
		uwrite(mm, A + i * P, i + 1);
	uwrite(mm, A + 0x400000, 9);
	uint32_t v;
	uread(mm, A + 0x800000, &v);
	return mm;
}

TEST(fork_out_of_heap_at_every_allocation)
{
	struct inode *f = fake_file_create(1);
	struct mm *parent = populated(f);
	uint32_t free0 = pmm_free_pages(), blocks0 = fake_heap_live();
	int failures = 0;
	for (long k = 0;; k++) {
		fake_heap_fail_at(k);
		struct mm *child = mm_fork(parent);
		fake_heap_fail_at(-1);
		if (child) {
			mm_put(child);
			break;
		}
		failures++;
		CHECK_EQ(pmm_free_pages(), free0);
		CHECK_EQ(fake_heap_live(), blocks0);
		CHECK_EQ(fake_file_refs(f), 2);
	}
	CHECK_EQ(failures, 4);		/* the mm, then each of the three VMAs */
	uint32_t v;
	CHECK_EQ(uread(parent, A + 3 * P, &v), 0);
	CHECK_EQ(v, 4);
	CHECK_EQ(uwrite(parent, A + 3 * P, 5), 0);	/* write-protected by the failed forks: fine */
	mm_put(parent);
	inode_put(f);
}

TEST(fork_and_fault_out_of_frames)
{
	struct inode *f = fake_file_create(1);
	struct mm *parent = populated(f);
	uint32_t free0 = pmm_free_pages();
	int failures = 0;
	for (uint32_t leave = 0;; leave++) {
		fake_pmm_hog(leave);
		struct mm *child = mm_fork(parent);
		if (child) {
			mm_put(child);
			fake_pmm_unhog();
			break;
		}
		fake_pmm_unhog();
		failures++;
		CHECK_EQ(pmm_free_pages(), free0);
	}
	CHECK_EQ(failures, 4);		/* the directory, then 1 + 1 + 1 page tables */
	/* A fault with no frame left: -ENOMEM (the OOM killer's business), nothing lost. */
	struct mm *child = mm_fork(parent);
	fake_pmm_hog(0);
	CHECK_EQ(uwrite(child, A, 7), -ENOMEM);		/* a copy is needed */
	CHECK_EQ(uwrite(child, A + 0x400000 + P, 7), -ENOMEM);	/* a demand-zero page */
	CHECK_EQ(uwrite(child, A + 4 * P, 7), -EFAULT);		/* no VMA: no page needed */
	fake_pmm_unhog();
	mm_put(child);
	mm_put(parent);
	inode_put(f);
}

TEST(mm_write_goes_through_faults)
{
	struct mm *mm = mm_create();
	mm_map(mm, A, 3 * P, RW, FIX, 0, 0);
	mm_map(mm, A + 3 * P, P, PROT_READ, FIX, 0, 0);
	static uint8_t buf[2 * P];
	for (uint32_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7);
	CHECK_EQ(mm_write(mm, A + 100, buf, sizeof buf), 0);	/* across three pages */
	struct mm *child = mm_fork(mm);
	CHECK_EQ(mm_write(child, A + P, "x", 1), 0);	/* copies the child's page */
	uint32_t v;
	CHECK_EQ(uread(mm, A + P, &v), 0);
	CHECK_EQ(v & 0xFF, (uint8_t)((P - 100) * 7));
	CHECK_EQ(uread(child, A + P, &v), 0);
	CHECK_EQ(v & 0xFF, 'x');
	CHECK_EQ(uread(mm, A + 2 * P + 96, &v), 0);
	CHECK_EQ(v & 0xFF, (uint8_t)((2 * P - 4) * 7));
	CHECK_EQ(mm_write(mm, A + 3 * P - 2, "abcd", 4), -EFAULT);	/* runs into read-only */
	CHECK_EQ(mm_write(mm, A + 4 * P, "a", 1), -EFAULT);
	mm_put(child);
	mm_put(mm);
}
