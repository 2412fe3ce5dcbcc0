/*
 * Virtual memory areas: the sorted list of what an address space may map.
 * Each VMA is a page-aligned range with one protection and one backing
 * (anonymous, or a file from a page offset).  munmap and mprotect on part
 * of a VMA first split it, so that every operation acts on whole VMAs.
 */
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include "pte.h"

struct vma *vma_find(struct mm *mm, uint32_t addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return 0;
}

bool vma_range_free(struct mm *mm, uint32_t start, uint32_t end)
{
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return false;
	return true;
}

void vma_link(struct mm *mm, struct vma *v)
{
	/* Every caller has checked the range against user space; an area
	 * reaching the kernel half would let munmap free the kernel's pages. */
	if (v->start >= v->end || v->end > USER_END || (v->start | v->end) % PAGE_SIZE)
		panic("vma_link: bad area %08x-%08x", v->start, v->end);
	struct vma **p = &mm->vmas;
	while (*p && (*p)->start < v->start)
		p = &(*p)->next;
	v->next = *p;
	*p = v;
}

/* Could b simply continue a (same rights, same backing, contiguous)? */
static bool vma_continues(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->inode == b->inode &&
	       (!a->inode || a->pgoff + (a->end - a->start) / PAGE_SIZE == b->pgoff);
}

/*
 * Merge v with the neighbours it continues, as Linux does: a program (a
 * guest kernel mapping page by page, say) then has a few long VMAs rather
 * than thousands of one-page ones for every lookup to walk.  Returns the
 * VMA that now holds v's range.
 */
struct vma *vma_merge(struct mm *mm, struct vma *v)
{
	struct vma *prev = 0;
	for (struct vma *p = mm->vmas; p && p != v; p = p->next)
		prev = p;
	struct vma *next = v->next;
	if (next && vma_continues(v, next)) {
		v->end = next->end;
		v->next = next->next;
		vma_free(next);
	}
	if (prev && prev->next == v && vma_continues(prev, v)) {
		prev->end = v->end;
		prev->next = v->next;
		vma_free(v);
		return prev;
	}
	return v;
}

struct vma *vma_grow_into(struct mm *mm, const struct vma *want)
{
	struct vma *prev = mm->vmas;
	while (prev && prev->end < want->start)
		prev = prev->next;
	if (!prev || !vma_continues(prev, want) || (prev->next && prev->next->start < want->end))
		return 0;
	prev->end = want->end;
	return vma_merge(mm, prev);
}

void vma_free(struct vma *v)
{
	if (v->inode)
		inode_put(v->inode);
	kfree(v);
}

/* If addr falls strictly inside a VMA, cut it in two there. 0 or -ENOMEM. */
int vma_split_at(struct mm *mm, uint32_t addr)
{
	struct vma *v = vma_find(mm, addr);
	if (!v || v->start == addr)
		return 0;
	struct vma *upper = kmalloc(sizeof *upper);
	if (!upper)
		return -ENOMEM;
	*upper = *v;
	upper->start = addr;
	if (upper->inode) {
		inode_get(upper->inode);
		upper->pgoff += (addr - v->start) / PAGE_SIZE;
	}
	v->end = addr;
	v->next = upper;
	return 0;
}

/* Make start and end both VMA boundaries, or neither: when the second cut
 * finds no memory, the first is joined again, so a refused call leaves
 * the areas as they were.  0 or -ENOMEM. */
int vma_split_range(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *before = vma_find(mm, start);
	bool cut = before && before->start != start;
	if (vma_split_at(mm, start))
		return -ENOMEM;
	if (vma_split_at(mm, end)) {
		if (cut)
			vma_merge(mm, before);
		return -ENOMEM;
	}
	return 0;
}
