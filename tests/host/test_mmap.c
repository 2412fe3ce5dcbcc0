/*
 * mm_map, mm_unmap and mm_protect (kernel/mm/mmap.c): results and error
 * numbers as Linux's, and every range check at its boundaries (0, one
 * page, 0xC0000000 - addr, lengths near 2^32), where a wrap-around once
 * let a fixed mapping cover the kernel half (issue 11).
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
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIX (ANON | MAP_FIXED)

static long map(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags)
{
	return mm_map(mm, addr, len, prot, flags, 0, 0);
}

static int nvmas(struct mm *mm)
{
	int n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

TEST(mmap_fixed_never_reaches_the_kernel_half)
{
	struct mm *mm = mm_create();
	/* The two: both once succeeded and panicked the kernel at exit. */
	CHECK_EQ(map(mm, 0x10000000, 0xE0000000, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0, 0xFFFFF000, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0x40000000, USER_END - 0x40000000 + P, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, USER_END - P, 2 * P, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, USER_END, P, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0xFFFFF000, P, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0xFFFFF000, 0x2000, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0x1000, 0xFFFFFFFF, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0x1000, 0xFFFFF001, RW, FIX), -ENOMEM);
	CHECK_EQ(map(mm, 0x10000001, 0xE0000000, RW, FIX), -ENOMEM);	/* range before alignment */
	CHECK_EQ(map(mm, 0x10000001, P, RW, FIX), -EINVAL);
	CHECK_EQ(map(mm, MAP_FIXED_NOREPLACE, USER_END, RW, ANON | MAP_FIXED_NOREPLACE), -ENOMEM);
	CHECK(mm->vmas == 0);
	/* Exactly up to the end of user space is fine, from anywhere. */
	CHECK_EQ(map(mm, USER_END - P, P, RW, FIX), USER_END - P);
	CHECK_EQ(map(mm, 0x40000000, USER_END - 0x40000000, RW, FIX), 0x40000000);
	CHECK_EQ(map(mm, 0, USER_END, PROT_READ, FIX), 0);
	CHECK_EQ(nvmas(mm), 1);
	CHECK_EQ(mm->vmas->end, USER_END);
	uint32_t v;
	CHECK_EQ(uread(mm, USER_END - 4, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(uread(mm, USER_END, &v), -EFAULT);	/* the kernel half is not the user's */
	CHECK(fake_kernel_half_intact(mm));
	mm_put(mm);
}

TEST(mmap_argument_errors_in_linux_order)
{
	struct mm *mm = mm_create();
	CHECK_EQ(map(mm, 0, 0, RW, ANON), -EINVAL);
	CHECK_EQ(map(mm, 0, 0, RW, FIX), -EINVAL);
	CHECK_EQ(map(mm, 0, P, RW, MAP_ANONYMOUS), -EINVAL);	/* neither shared nor private */
	CHECK_EQ(map(mm, 0, P, RW, MAP_ANONYMOUS | 0x4), -EINVAL);
	CHECK_EQ(map(mm, 0, P, RW, MAP_SHARED_VALIDATE | MAP_HUGETLB), -EINVAL);	/* memory: no type */
	CHECK_EQ(map(mm, 0, P, 0x10, ANON), -EINVAL);
	CHECK_EQ(map(mm, 0, 0xFFFFFFFF, RW, ANON), -ENOMEM);
	CHECK_EQ(map(mm, 0, 0xFFFFF001, RW, ANON), -ENOMEM);
	CHECK_EQ(map(mm, 0, 0xFFFFF000, RW, ANON), -ENOMEM);
	CHECK_EQ(map(mm, 0, USER_END + P, RW, ANON), -ENOMEM);
	CHECK_EQ(map(mm, 0, MMAP_TOP, RW, ANON), -ENOMEM);	/* no gap that big below MMAP_TOP */
	struct inode *f = fake_file_create(4);
	CHECK_EQ(mm_map(mm, 0, 2 * P, PROT_READ, MAP_PRIVATE, f, 0xFFFFFFFF), -EOVERFLOW);
	CHECK_EQ(mm_map(mm, 0, P, RW, MAP_SHARED_VALIDATE | MAP_SYNC, f, 0), -EOPNOTSUPP);
	CHECK_EQ(mm_map(mm, 0x30000000, P, RW, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, f, 0), -EOPNOTSUPP);
	CHECK_EQ(mm_map(mm, 0, P, RW, 0, f, 0), -EINVAL);
	CHECK_EQ(mm_map(mm, 0x1001, P, RW, MAP_FIXED, f, 0), -EINVAL);	/* the address before the type */
	CHECK_EQ(mm_map(mm, 0xBFFFF000u, 2 * P, RW, MAP_FIXED | 0xf, f, 0), -ENOMEM);
	CHECK_EQ(mm_map(mm, 0, P, PROT_READ, MAP_PRIVATE, f, 0xFFFFFFFE), MMAP_TOP - P);
	CHECK(mm->vmas->inode == f);
	CHECK_EQ(fake_file_refs(f), 2);
	CHECK(mm->vmas && !mm->vmas->next);
	mm_put(mm);
	CHECK_EQ(fake_file_refs(f), 1);
	inode_put(f);
}

TEST(mmap_places_top_down_and_takes_free_hints)
{
	struct mm *mm = mm_create();
	CHECK_EQ(map(mm, 0, 1, RW, ANON), MMAP_TOP - P);	/* a length rounds up to pages */
	CHECK_EQ(map(mm, 0, 3 * P, RW, ANON), MMAP_TOP - 4 * P);
	CHECK_EQ(nvmas(mm), 1);					/* the two merged */
	CHECK_EQ(map(mm, 0x20000000, P, RW, ANON), 0x20000000);	/* a free hint */
	CHECK_EQ(map(mm, 0x20000001, P, RW, ANON), 0x20001000);	/* rounded up */
	CHECK_EQ(map(mm, 0x20000000, P, PROT_READ, ANON), MMAP_TOP - 5 * P);	/* taken: a gap */
	CHECK_EQ(map(mm, 0x1000, P, RW, ANON), MMAP_TOP - 6 * P);	/* below MMAP_BOTTOM */
	CHECK_EQ(map(mm, USER_END - P, P, RW, ANON), USER_END - P);	/* a hint above MMAP_TOP is fine */
	CHECK_EQ(map(mm, USER_END, P, RW, ANON), MMAP_TOP - 7 * P);	/* in the kernel half: no */
	CHECK_EQ(map(mm, 0xFFFFF000, 2 * P, RW, ANON), MMAP_TOP - 9 * P);
	/* MAP_FIXED_NOREPLACE: EEXIST over anything, fine elsewhere. */
	CHECK_EQ(map(mm, 0x20000000, P, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	CHECK_EQ(map(mm, 0x1FFFF000, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	CHECK_EQ(map(mm, 0x1FFFF000, P, RW, ANON | MAP_FIXED_NOREPLACE), 0x1FFFF000);
	mm_put(mm);
}

TEST(mmap_fixed_replaces_and_frees_the_old_pages)
{
	struct mm *mm = mm_create();
	uint32_t free0 = pmm_free_pages();
	CHECK_EQ(map(mm, 0x10000000, 4 * P, RW, FIX), 0x10000000);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(uwrite(mm, 0x10000000 + i * P, 0xA0 + i), 0);
	uint32_t used = free0 - pmm_free_pages();	/* 4 pages and a page table */
	CHECK_EQ(used, 5);
	CHECK_EQ(map(mm, 0x10001000, 2 * P, PROT_READ, FIX), 0x10001000);
	CHECK_EQ(nvmas(mm), 3);
	CHECK_EQ(free0 - pmm_free_pages(), 3);
	uint32_t v;
	CHECK_EQ(uread(mm, 0x10001000, &v), 0);
	CHECK_EQ(v, 0);				/* new memory: zero */
	CHECK_EQ(uread(mm, 0x10003000, &v), 0);
	CHECK_EQ(v, 0xA3);			/* the rest untouched */
	CHECK_EQ(uwrite(mm, 0x10001000, 1), -EFAULT);	/* read-only now */
	mm_put(mm);
}

TEST(munmap_ranges_and_errors)
{
	struct mm *mm = mm_create();
	CHECK_EQ(mm_unmap(mm, 0x1001, P), -EINVAL);
	CHECK_EQ(mm_unmap(mm, 0x1000, 0), -EINVAL);
	CHECK_EQ(mm_unmap(mm, USER_END, P), -EINVAL);
	CHECK_EQ(mm_unmap(mm, 0xFFFFF000, P), -EINVAL);
	CHECK_EQ(mm_unmap(mm, USER_END - P, 2 * P), -EINVAL);
	CHECK_EQ(mm_unmap(mm, 0, 0xFFFFFFFF), -EINVAL);
	CHECK_EQ(mm_unmap(mm, 0x1000, 0xFFFFF000), -EINVAL);
	CHECK_EQ(mm_unmap(mm, 0x10000000, P), 0);	/* nothing there: fine */
	CHECK_EQ(map(mm, 0x10000000, 8 * P, RW, FIX), 0x10000000);
	CHECK_EQ(map(mm, USER_END - 2 * P, 2 * P, RW, FIX), USER_END - 2 * P);
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(uwrite(mm, 0x10000000 + i * P, i), 0);
	CHECK_EQ(mm_unmap(mm, 0x10002000, 2 * P - 100), 0);	/* rounds up: two pages */
	CHECK_EQ(nvmas(mm), 3);
	CHECK_EQ(mm_resident_pages(mm), 6);
	uint32_t v;
	CHECK_EQ(uread(mm, 0x10002000, &v), -EFAULT);
	CHECK_EQ(uread(mm, 0x10003000, &v), -EFAULT);
	CHECK_EQ(uread(mm, 0x10004000, &v), 0);
	CHECK_EQ(v, 4);
	CHECK_EQ(mm_unmap(mm, USER_END - P, P), 0);		/* the last page */
	CHECK_EQ(mm_unmap(mm, 0x10000000, USER_END - 0x10000000), 0);	/* everything above */
	CHECK(mm->vmas == 0);
	CHECK_EQ(mm_resident_pages(mm), 0);
	mm_put(mm);
}

TEST(mprotect_ranges_and_errors)
{
	struct mm *mm = mm_create();
	CHECK_EQ(map(mm, 0x10000000, 4 * P, RW, FIX), 0x10000000);
	CHECK_EQ(map(mm, USER_END - P, P, RW, FIX), USER_END - P);
	CHECK_EQ(mm_protect(mm, 0x10000000, P, PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	CHECK_EQ(mm_protect(mm, 0x10000001, P, PROT_READ), -EINVAL);
	CHECK_EQ(mm_protect(mm, 0x10000000, 0, 0x7777), 0);	/* len 0: success, whatever prot */
	CHECK_EQ(mm_protect(mm, 0xFFFFF000, 0x2000, PROT_READ), -ENOMEM);	/* Linux: ENOMEM */
	CHECK_EQ(mm_protect(mm, 0x10000000, 0xFFFFFFFF, PROT_READ), -ENOMEM);
	CHECK_EQ(mm_protect(mm, 0x10000000, 0xFFFFF000, PROT_READ), -ENOMEM);
	CHECK_EQ(mm_protect(mm, 0x10000000, P, 0x10), -EINVAL);
	/* The kernel half is never the user's to change (it once was: 0). */
	CHECK_EQ(mm_protect(mm, USER_END, P, PROT_READ), -ENOMEM);
	CHECK_EQ(mm_protect(mm, USER_END - P, 2 * P, PROT_READ), -ENOMEM);
	CHECK_EQ(mm_protect(mm, 0xFFFFE000, P, RW), -ENOMEM);
	CHECK(fake_kernel_half_intact(mm));
	/* A hole anywhere in the range: ENOMEM, and nothing changed. */
	CHECK_EQ(mm_protect(mm, 0x10000000, 5 * P, PROT_READ), -ENOMEM);
	CHECK_EQ(mm->vmas->prot, RW);
	CHECK_EQ(nvmas(mm), 2);
	CHECK_EQ(mm_protect(mm, USER_END - P, P, PROT_READ), 0);	/* the last page */
	/* The middle of an area: split, and the pages follow. */
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(uwrite(mm, 0x10000000 + i * P, 0x50 + i), 0);
	CHECK_EQ(mm_protect(mm, 0x10001000, 2 * P, PROT_NONE), 0);
	CHECK_EQ(nvmas(mm), 4);
	uint32_t v;
	CHECK_EQ(uread(mm, 0x10001000, &v), -EFAULT);
	CHECK_EQ(uwrite(mm, 0x10002000, 1), -EFAULT);
	CHECK(pte_of(mm, 0x10001000) & PTE_HELD);
	CHECK(!(pte_of(mm, 0x10001000) & PTE_PRESENT));
	CHECK_EQ(mm_resident_pages(mm), 2);	/* held pages are not resident */
	CHECK_EQ(mm_protect(mm, 0x10000000, 4 * P, PROT_READ), 0);
	CHECK_EQ(uread(mm, 0x10002000, &v), 0);
	CHECK_EQ(v, 0x52);			/* kept through PROT_NONE */
	CHECK_EQ(uwrite(mm, 0x10002000, 1), -EFAULT);
	CHECK_EQ(mm_protect(mm, 0x10000000, 4 * P, RW), 0);
	CHECK_EQ(uwrite(mm, 0x10002000, 7), 0);
	CHECK_EQ(mm_protect(mm, 0x10000000, 4 * P, PROT_EXEC), 0);
	CHECK_EQ(uread(mm, 0x10002000, &v), 0);	/* exec implies read on i386 */
	CHECK_EQ(v, 7);
	mm_put(mm);
}

TEST(mprotect_never_makes_a_read_only_shared_file_writable)
{
	struct mm *mm = mm_create();
	struct inode *f = fake_file_create(2);
	CHECK_EQ(mm_map(mm, 0x10000000, 2 * P, PROT_READ, MAP_SHARED | MAP_FIXED | MM_MAP_NO_MAYWRITE, f, 0),
		 0x10000000);
	CHECK_EQ(mm_protect(mm, 0x10000000, 2 * P, RW), -EACCES);
	CHECK_EQ(mm_protect(mm, 0x10000000, 2 * P, PROT_READ | PROT_EXEC), 0);
	CHECK_EQ(uwrite(mm, 0x10000000, 1), -EFAULT);
	mm_put(mm);
	inode_put(f);
}

TEST(brk_grows_shrinks_and_refuses_in_place)
{
	struct mm *mm = mm_create();
	mm->brk_start = mm->brk = 0x08100000;
	CHECK_EQ(mm_brk(mm, 0), 0x08100000);			/* the query */
	CHECK_EQ(mm_brk(mm, 0x080FFFFF), 0x08100000);		/* below the start: refused */
	CHECK_EQ(mm_brk(mm, MMAP_TOP), 0x08100000);
	CHECK_EQ(mm_brk(mm, 0xFFFFFFFF), 0x08100000);		/* PAGE_UP would wrap: refused first */
	CHECK_EQ(mm_brk(mm, 0x08100001), 0x08100001);		/* one byte: one page */
	CHECK_EQ(nvmas(mm), 1);
	CHECK_EQ(mm->vmas->end, 0x08101000);
	CHECK_EQ(uwrite(mm, 0x08100ffc, 9), 0);
	CHECK_EQ(mm_brk(mm, 0x08103000), 0x08103000);		/* grows in place */
	CHECK_EQ(nvmas(mm), 1);
	CHECK_EQ(mm->vmas->end, 0x08103000);
	/* A mapping above: the heap stops a page short of it, as Linux's. */
	CHECK_EQ(map(mm, 0x08105000, P, RW, FIX), 0x08105000);
	CHECK_EQ(mm_brk(mm, 0x08104000), 0x08104000);
	CHECK_EQ(mm_brk(mm, 0x08104001), 0x08104000);
	CHECK_EQ(mm_brk(mm, 0x09000000), 0x08104000);
	/* Shrinking frees the pages; growing again gives zeroes. */
	CHECK_EQ(uwrite(mm, 0x08103000, 5), 0);
	uint32_t free0 = pmm_free_pages();
	CHECK_EQ(mm_brk(mm, 0x08101000), 0x08101000);
	CHECK_EQ(pmm_free_pages(), free0 + 1);
	uint32_t v;
	CHECK_EQ(uread(mm, 0x08103000, &v), -EFAULT);
	CHECK_EQ(mm_brk(mm, 0x08104000), 0x08104000);
	CHECK_EQ(uread(mm, 0x08103000, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(uread(mm, 0x08100ffc, &v), 0);
	CHECK_EQ(v, 9);						/* below the cut: kept */
	CHECK_EQ(mm_brk(mm, 0x08100000), 0x08100000);		/* back to nothing */
	CHECK_EQ(nvmas(mm), 1);					/* only the mapping above */
	fake_heap_fail_at(0);
	CHECK_EQ(mm_brk(mm, 0x08102000), 0x08100000);		/* out of heap: the old break */
	CHECK_EQ(nvmas(mm), 1);
	mm_put(mm);
}
