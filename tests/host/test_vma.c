/*
 * The VMA list (kernel/mm/vma.c): lookup, linking, splitting, merging.
 */
#include "harness.h"
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "../../kernel/mm/pte.h"

#define P PAGE_SIZE

static struct vma *add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
		       struct inode *f, uint32_t pgoff)
{
	struct vma *v = kzalloc(sizeof *v);
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .flags = VMA_MAYWRITE,
			   .inode = f, .pgoff = pgoff };
	if (f)
		inode_get(f);
	vma_link(mm, v);
	return v;
}

static int count(struct mm *mm)
{
	int n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

TEST(vma_link_keeps_address_order_and_find_finds)
{
	struct mm *mm = mm_create();
	add(mm, 0x30000000, 0x30002000, PROT_READ, 0, 0);
	add(mm, 0x10000000, 0x10001000, PROT_READ, 0, 0);
	add(mm, 0x20000000, 0x20003000, PROT_READ, 0, 0);
	CHECK_EQ(mm->vmas->start, 0x10000000);
	CHECK_EQ(mm->vmas->next->start, 0x20000000);
	CHECK_EQ(mm->vmas->next->next->start, 0x30000000);
	CHECK(vma_find(mm, 0x0FFFFFFF) == 0);
	CHECK(vma_find(mm, 0x10000000) == mm->vmas);
	CHECK(vma_find(mm, 0x10000FFF) == mm->vmas);
	CHECK(vma_find(mm, 0x10001000) == 0);	/* end is exclusive */
	CHECK(vma_find(mm, 0x20002FFF) == mm->vmas->next);
	CHECK(vma_find(mm, 0xFFFFFFFF) == 0);
	CHECK(vma_range_free(mm, 0x10001000, 0x20000000));
	CHECK(!vma_range_free(mm, 0x10000FFF, 0x10001000 + 5));
	CHECK(!vma_range_free(mm, 0x0FFFF000, 0x10000001));
	CHECK(vma_range_free(mm, 0x30002000, USER_END));
	CHECK(!vma_range_free(mm, 0, USER_END));
	mm_put(mm);
}

TEST(vma_link_refuses_areas_outside_user_space)
{
	struct mm *mm = mm_create();
	struct vma v = { .start = 0xBFFFF000, .end = 0xC0001000 };
	CHECK(expect_panic(vma_link(mm, &v)));		/* into the kernel half */
	v = (struct vma){ .start = 0x2000, .end = 0x2000 };
	CHECK(expect_panic(vma_link(mm, &v)));		/* empty */
	v = (struct vma){ .start = 0x3000, .end = 0x1000 };
	CHECK(expect_panic(vma_link(mm, &v)));		/* backwards (a wrapped end) */
	v = (struct vma){ .start = 0x1800, .end = 0x3000 };
	CHECK(expect_panic(vma_link(mm, &v)));		/* not page-aligned */
	CHECK(mm->vmas == 0);
	mm_put(mm);
}

TEST(vma_split_at_cuts_and_keeps_file_offsets)
{
	struct mm *mm = mm_create();
	struct inode *f = fake_file_create(8);
	add(mm, 0x10000000, 0x10004000, PROT_READ, f, 3);
	CHECK_EQ(fake_file_refs(f), 2);
	CHECK_EQ(vma_split_at(mm, 0x10000000), 0);	/* a boundary already: nothing */
	CHECK_EQ(vma_split_at(mm, 0x20000000), 0);	/* nothing there: nothing */
	CHECK_EQ(count(mm), 1);
	CHECK_EQ(vma_split_at(mm, 0x10001000), 0);
	CHECK_EQ(count(mm), 2);
	struct vma *lo = mm->vmas, *hi = lo->next;
	CHECK_EQ(lo->end, 0x10001000);
	CHECK_EQ(hi->start, 0x10001000);
	CHECK_EQ(hi->end, 0x10004000);
	CHECK_EQ(lo->pgoff, 3);
	CHECK_EQ(hi->pgoff, 4);
	CHECK(hi->inode == f);
	CHECK_EQ(fake_file_refs(f), 3);		/* each half holds the file */
	/* Out of heap: -ENOMEM and nothing changed. */
	fake_heap_fail_at(0);
	CHECK_EQ(vma_split_at(mm, 0x10002000), -ENOMEM);
	CHECK_EQ(count(mm), 2);
	/* The two halves continue each other: merging makes one again. */
	CHECK(vma_merge(mm, hi) == lo);
	CHECK_EQ(count(mm), 1);
	CHECK_EQ(lo->end, 0x10004000);
	CHECK_EQ(fake_file_refs(f), 2);
	mm_put(mm);
	CHECK_EQ(fake_file_refs(f), 1);
	inode_put(f);
}

TEST(vma_merge_joins_only_what_continues)
{
	struct mm *mm = mm_create();
	struct inode *f = fake_file_create(16);
	add(mm, 0x10000000, 0x10001000, PROT_READ, 0, 0);
	add(mm, 0x10002000, 0x10003000, PROT_READ, 0, 0);
	struct vma *mid = add(mm, 0x10001000, 0x10002000, PROT_READ, 0, 0);
	CHECK(vma_merge(mm, mid) == mm->vmas);	/* both sides */
	CHECK_EQ(count(mm), 1);
	CHECK_EQ(mm->vmas->end, 0x10003000);
	/* Different rights, a gap, another file offset: no merge. */
	struct vma *a = add(mm, 0x10003000, 0x10004000, PROT_READ | PROT_WRITE, 0, 0);
	CHECK(vma_merge(mm, a) == a);
	struct vma *b = add(mm, 0x10005000, 0x10006000, PROT_READ | PROT_WRITE, 0, 0);
	CHECK(vma_merge(mm, b) == b);
	struct vma *c = add(mm, 0x20000000, 0x20001000, PROT_READ, f, 0);
	struct vma *d = add(mm, 0x20001000, 0x20002000, PROT_READ, f, 2);
	CHECK(vma_merge(mm, d) == d);
	struct vma *e = add(mm, 0x20002000, 0x20003000, PROT_READ, f, 3);
	CHECK(vma_merge(mm, e) == d);		/* d's offsets continue: 2, 3 */
	CHECK_EQ(d->end, 0x20003000);
	CHECK_EQ(count(mm), 5);
	(void)c;
	mm_put(mm);
	inode_put(f);
}

TEST(vma_grow_into_extends_the_area_before)
{
	struct mm *mm = mm_create();
	add(mm, 0x10000000, 0x10001000, PROT_READ, 0, 0);
	add(mm, 0x10003000, 0x10004000, PROT_READ, 0, 0);
	struct vma want = { .start = 0x10001000, .end = 0x10002000, .prot = PROT_READ, .flags = VMA_MAYWRITE };
	CHECK(vma_grow_into(mm, &want) == mm->vmas);
	CHECK_EQ(mm->vmas->end, 0x10002000);
	want = (struct vma){ .start = 0x10002000, .end = 0x10004000, .prot = PROT_READ, .flags = VMA_MAYWRITE };
	CHECK(vma_grow_into(mm, &want) == 0);	/* would overlap the next: no */
	want.end = 0x10003000;
	CHECK(vma_grow_into(mm, &want) == mm->vmas);	/* fills the gap, joins the next */
	CHECK_EQ(count(mm), 1);
	CHECK_EQ(mm->vmas->end, 0x10004000);
	want = (struct vma){ .start = 0x10004000, .end = 0x10005000, .prot = PROT_WRITE, .flags = VMA_MAYWRITE };
	CHECK(vma_grow_into(mm, &want) == 0);	/* other rights */
	want = (struct vma){ .start = 0x10005000, .end = 0x10006000, .prot = PROT_READ, .flags = VMA_MAYWRITE };
	CHECK(vma_grow_into(mm, &want) == 0);	/* not contiguous */
	mm_put(mm);
}
