/* Self-tests of address spaces (kernel/mm/): VMAs, faults, fork, unmapping. */
#include <kernel/kmap.h>
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "pte.h"

#define ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static int count_vmas(struct mm *mm)
{
	int n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

/* The byte at addr in mm, through the page tables; -1 if not mapped. */
static int peek(struct mm *mm, uint32_t addr)
{
	uint32_t *slot = pte_slot_of(mm, addr, false);
	if (!slot || !(*slot & PTE_PRESENT))
		return -1;
	uint8_t *page = kmap(*slot & PTE_ADDR_MASK);
	uint8_t byte = page[addr & (PAGE_SIZE - 1)];
	kunmap(page);
	return byte;
}

SELFTEST(mm_map_and_fault)
{
	uint32_t before = pmm_free_pages();
	struct mm *mm = mm_create();
	EXPECT(mm);
	long a = mm_map(mm, 0, 3 * PAGE_SIZE, RW, ANON_PRIVATE, 0, 0);
	EXPECT(!mm_is_err(a) && a % PAGE_SIZE == 0 && (uint32_t)a + 3 * PAGE_SIZE == MMAP_TOP);
	EXPECT(peek(mm, a) == -1);			/* nothing until touched */
	EXPECT(mm_fault(mm, a + 5, false) == 0);	/* demand zero */
	EXPECT(peek(mm, a + 5) == 0);
	EXPECT(mm_write(mm, a + PAGE_SIZE - 1, "xy", 2) == 0);	/* across a page boundary */
	EXPECT(peek(mm, a + PAGE_SIZE - 1) == 'x' && peek(mm, a + PAGE_SIZE) == 'y');
	EXPECT(mm_resident_pages(mm) == 2);
	EXPECT(mm_fault(mm, a + 3 * PAGE_SIZE, false) == -EFAULT);	/* past the end */
	EXPECT(mm_fault(mm, 0, false) == -EFAULT);
	mm_put(mm);
	EXPECT(pmm_free_pages() == before);
}

SELFTEST(mm_map_errors)
{
	struct mm *mm = mm_create();
	EXPECT(mm);
	EXPECT(mm_map(mm, 0, 0, RW, ANON_PRIVATE, 0, 0) == -EINVAL);
	EXPECT(mm_map(mm, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, 0, 0) == -EINVAL);	/* neither shared nor private */
	EXPECT(mm_map(mm, 0x1001, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == -EINVAL);
	EXPECT(mm_map(mm, 0, 0xFFFFF001u, RW, ANON_PRIVATE, 0, 0) == -ENOMEM);
	EXPECT(mm_map(mm, 0xBFFFF000u, 2 * PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == -ENOMEM);
	long a = mm_map(mm, 0x10000000, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0);
	EXPECT(a == 0x10000000);
	EXPECT(mm_map(mm, 0x10000000, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED_NOREPLACE, 0, 0) == -EEXIST);
	EXPECT(mm_unmap(mm, 0x10000001, PAGE_SIZE) == -EINVAL);
	EXPECT(mm_unmap(mm, 0x10000000, 0) == -EINVAL);
	EXPECT(mm_protect(mm, 0x10000000, 2 * PAGE_SIZE, PROT_READ) == -ENOMEM);	/* a hole */
	EXPECT(mm_protect(mm, 0x10000001, PAGE_SIZE, PROT_READ) == -EINVAL);
	EXPECT(mm_protect(mm, 0x10000000, 0, PROT_READ) == 0);
	mm_put(mm);
}

SELFTEST(mm_unmap_and_protect_split)
{
	uint32_t before = pmm_free_pages();
	struct mm *mm = mm_create();
	EXPECT(mm);
	uint32_t a = 0x20000000;
	EXPECT(mm_map(mm, a, 4 * PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == (long)a);
	EXPECT(mm_write(mm, a, "abcd", 1) == 0 && mm_write(mm, a + 3 * PAGE_SIZE, "z", 1) == 0);
	EXPECT(mm_unmap(mm, a + PAGE_SIZE, PAGE_SIZE) == 0);	/* a hole in the middle */
	EXPECT(count_vmas(mm) == 2);
	EXPECT(mm_fault(mm, a + PAGE_SIZE, false) == -EFAULT);
	EXPECT(peek(mm, a) == 'a' && peek(mm, a + 3 * PAGE_SIZE) == 'z');
	EXPECT(mm_protect(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0);
	EXPECT(count_vmas(mm) == 3);
	EXPECT(mm_fault(mm, a + 3 * PAGE_SIZE, true) == -EFAULT);	/* now read-only */
	EXPECT(peek(mm, a + 3 * PAGE_SIZE) == 'z');			/* the data stays */
	EXPECT(mm_protect(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_NONE) == 0);
	EXPECT(mm_fault(mm, a + 3 * PAGE_SIZE, false) == -EFAULT);
	EXPECT(mm_protect(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, RW) == 0);
	EXPECT(mm_fault(mm, a + 3 * PAGE_SIZE, true) == 0);
	EXPECT(peek(mm, a + 3 * PAGE_SIZE) == 'z');			/* kept across PROT_NONE */
	/* MAP_FIXED over existing pages replaces them with fresh zero pages. */
	EXPECT(mm_map(mm, a, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == (long)a);
	EXPECT(mm_fault(mm, a, false) == 0 && peek(mm, a) == 0);
	mm_put(mm);
	EXPECT(pmm_free_pages() == before);
}

SELFTEST(mm_fork_copy_on_write)
{
	uint32_t before = pmm_free_pages();
	struct mm *parent = mm_create();
	EXPECT(parent);
	uint32_t a = 0x30000000;
	EXPECT(mm_map(parent, a, 2 * PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == (long)a);
	EXPECT(mm_write(parent, a, "P", 1) == 0);
	struct mm *child = mm_fork(parent);
	EXPECT(child);
	uint32_t *ps = pte_slot_of(parent, a, false), *cs = pte_slot_of(child, a, false);
	EXPECT(ps && cs && (*ps & PTE_ADDR_MASK) == (*cs & PTE_ADDR_MASK));	/* shared */
	EXPECT(!(*ps & PTE_WRITE) && !(*cs & PTE_WRITE));			/* both read-only */
	EXPECT(pmm_page_refs(*ps & PTE_ADDR_MASK) == 2);
	EXPECT(mm_write(child, a, "C", 1) == 0);				/* the child copies */
	EXPECT(peek(child, a) == 'C' && peek(parent, a) == 'P');
	EXPECT((*ps & PTE_ADDR_MASK) != (*cs & PTE_ADDR_MASK));
	EXPECT(pmm_page_refs(*ps & PTE_ADDR_MASK) == 1);
	EXPECT(mm_write(parent, a, "Q", 1) == 0);	/* sole owner now: written in place */
	EXPECT(peek(parent, a) == 'Q' && peek(child, a) == 'C');
	mm_put(parent);
	EXPECT(peek(child, a) == 'C');
	mm_put(child);
	EXPECT(pmm_free_pages() == before);
}

/* Neighbours that continue each other become one VMA; others stay apart. */
SELFTEST(mm_vma_merge)
{
	struct mm *mm = mm_create();
	EXPECT(mm);
	uint32_t a = 0x50000000;
	for (int i = 0; i < 4; i++)	/* page by page, out of order */
		EXPECT(mm_map(mm, a + (uint32_t)((i * 3) % 4) * PAGE_SIZE, PAGE_SIZE, RW,
			      ANON_PRIVATE | MAP_FIXED, 0, 0) == (long)(a + ((i * 3) % 4) * PAGE_SIZE));
	EXPECT(count_vmas(mm) == 1);
	EXPECT(mm->vmas->start == a && mm->vmas->end == a + 4 * PAGE_SIZE);
	EXPECT(mm_map(mm, a + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON_PRIVATE | MAP_FIXED, 0, 0) ==
	       (long)(a + 4 * PAGE_SIZE));
	EXPECT(count_vmas(mm) == 2);	/* other rights: apart */
	EXPECT(mm_protect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0);
	EXPECT(count_vmas(mm) == 4);	/* split: rw, r, rw, r */
	EXPECT(mm_protect(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0);
	EXPECT(count_vmas(mm) == 4);	/* rw, r, rw, r r: the fourth joined the fifth */
	EXPECT(vma_find(mm, a + 3 * PAGE_SIZE)->end == a + 5 * PAGE_SIZE);
	EXPECT(mm_protect(mm, a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0);
	EXPECT(count_vmas(mm) == 2);	/* pages 1..4 are one area now */
	EXPECT(mm->vmas->next->start == a + PAGE_SIZE && mm->vmas->next->end == a + 5 * PAGE_SIZE);
	EXPECT(mm_protect(mm, a, 5 * PAGE_SIZE, RW) == 0);
	EXPECT(count_vmas(mm) == 1);	/* and all five, as they began */
	/* Only the main stack grows down; nothing grows up on i386. */
	EXPECT(mm_protect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN) == -EINVAL);
	EXPECT(mm_protect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSUP) == -EINVAL);
	EXPECT(mm_protect(mm, a - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSUP) == -ENOMEM);
	EXPECT(count_vmas(mm) == 1 && mm->vmas->prot == RW);	/* refused: nothing changed */
	EXPECT(mm_write(mm, a, "m", 1) == 0 && mm_fault(mm, a + 3 * PAGE_SIZE, true) == 0);
	mm_put(mm);
}

/* A fixed mapping that continues the area before it grows that area, but
 * only over a free range: one that overlaps the next area replaces it. */
SELFTEST(mm_vma_grow)
{
	struct mm *mm = mm_create();
	EXPECT(mm);
	uint32_t a = 0x50000000;
	EXPECT(mm_map(mm, a, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) == (long)a);
	struct vma *first = mm->vmas;
	EXPECT(mm_map(mm, a + PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) ==
	       (long)(a + PAGE_SIZE));
	EXPECT(count_vmas(mm) == 1 && mm->vmas == first && first->end == a + 2 * PAGE_SIZE);
	EXPECT(mm_map(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON_PRIVATE | MAP_FIXED, 0, 0) ==
	       (long)(a + 3 * PAGE_SIZE));
	EXPECT(mm_write(mm, a + 3 * PAGE_SIZE, "r", 1) == -EFAULT);
	EXPECT(count_vmas(mm) == 2);
	/* [a+2, a+4) continues the first area but covers the read-only one. */
	EXPECT(mm_map(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON_PRIVATE | MAP_FIXED, 0, 0) ==
	       (long)(a + 2 * PAGE_SIZE));
	EXPECT(count_vmas(mm) == 1);
	EXPECT(mm->vmas->start == a && mm->vmas->end == a + 4 * PAGE_SIZE && mm->vmas->prot == RW);
	EXPECT(mm_write(mm, a + 3 * PAGE_SIZE, "w", 1) == 0);
	mm_put(mm);
}
