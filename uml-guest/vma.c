/*
 * Areas: what part of its address space a guest process may use, and how.
 *
 * Each process has a list of areas sorted by address, each a page-aligned
 * range with one protection: its program's segments, its heap (brk), its
 * stack, its mmap()s.  The page table (pgtable.c) says which pages are
 * there now; the areas say which ones may be, which is what the fault
 * handler asks when a page is missing.  munmap and mprotect of part of an
 * area first cut it in two at the edges, so that every change applies to
 * whole areas.
 */
#include "uml.h"
#include <stdlib.h>
#include <sys/mman.h>

struct vma *vma_find(struct mm *mm, uint32_t addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

int vma_range_free(struct mm *mm, uint32_t start, uint32_t end)
{
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return 0;
	return 1;
}

static void vma_link(struct mm *mm, struct vma *v)
{
	struct vma **at = &mm->vmas;
	while (*at && (*at)->start < v->start)
		at = &(*at)->next;
	v->next = *at;
	*at = v;
}

struct vma *vma_add(struct mm *mm, uint32_t start, uint32_t end, int prot, int flags)
{
	struct vma *v = malloc(sizeof *v);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->file_end = 0;
	v->fm = NULL;
	v->pgoff = 0;
	vma_link(mm, v);
	return v;
}

/* If addr is strictly inside an area, make it two areas there. */
static int vma_split_at(struct mm *mm, uint32_t addr)
{
	struct vma *v = vma_find(mm, addr);
	if (!v || v->start == addr)
		return 0;
	struct vma *upper = malloc(sizeof *upper);
	if (!upper)
		return -ENOMEM;
	*upper = *v;
	upper->start = addr;
	upper->pgoff += (addr - v->start) / PAGE;
	fmap_get(upper->fm);
	v->end = addr;
	v->next = upper;
	return 0;
}

/* Could b simply continue a: touching, the same rights, flags and
 * backing (the same mapped file, its offset running on)? */
static int continues(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags && a->fm == b->fm &&
	       a->file_end == b->file_end && (!a->fm || a->pgoff + (a->end - a->start) / PAGE == b->pgoff);
}

struct vma *vma_merge(struct mm *mm, struct vma *v)
{
	struct vma *prev = NULL;
	for (struct vma *p = mm->vmas; p && p != v; p = p->next)
		prev = p;
	struct vma *next = v->next;
	if (next && continues(v, next)) {
		v->end = next->end;
		v->next = next->next;
		fmap_put(next->fm);
		free(next);
	}
	if (prev && continues(prev, v)) {
		prev->end = v->end;
		prev->next = v->next;
		fmap_put(v->fm);
		free(v);
		return prev;
	}
	return v;
}

int vma_cut(struct mm *mm, uint32_t start, uint32_t end)
{
	int err = vma_split_at(mm, start);
	return err ? err : vma_split_at(mm, end);
}

/* munmap: no area and no page left in [start, end). */
/* The pages the areas cover, and VmPeak raised to them (/proc/PID/status). */
uint32_t vma_total_pages(struct mm *mm)
{
	uint32_t n = 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		n += (v->end - v->start) / PAGE;
	if (n > mm->layout.hiwater_vm)
		mm->layout.hiwater_vm = n;
	return n;
}

int vma_remove(struct mm *mm, uint32_t start, uint32_t end)
{
	vma_total_pages(mm);            /* the peak counts what is about to go */
	int err = vma_split_at(mm, start);
	if (!err)
		err = vma_split_at(mm, end);
	if (err)
		return err;
	struct vma **at = &mm->vmas;
	while (*at) {
		struct vma *v = *at;
		if (v->start >= start && v->end <= end) {
			*at = v->next;
			fmap_put(v->fm);
			free(v);
		} else {
			at = &v->next;
		}
	}
	pt_unmap_range(mm, start, end);
	return 0;
}

/* mprotect: [start, end) must be wholly covered by areas (else ENOMEM, as
 * on Linux); then each gets the new protection, and so do its pages. */
int vma_protect(struct mm *mm, uint32_t start, uint32_t end, int prot)
{
	uint32_t at = start;
	for (struct vma *v = mm->vmas; v && at < end; v = v->next) {
		if (v->end <= at)
			continue;
		if (v->start > at)
			return -ENOMEM;         /* a hole */
		if ((prot & PROT_WRITE) && (v->flags & VMA_SHARED) && v->fm && !v->fm->writable)
			return -EACCES;         /* a shared file opened read-only */
		at = v->end;
	}
	if (at < end)
		return -ENOMEM;
	int err = vma_split_at(mm, start);
	if (!err)
		err = vma_split_at(mm, end);
	if (err)
		return err;
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
		if (v->start < start)
			continue;
		v->prot = prot;
		pt_protect_range(mm, v->start, v->end, prot, v->flags & VMA_SHARED);
	}
	/* Join what now continues its neighbours, as Linux (and the host
	 * kernel) do: /proc/PID/maps lists the same areas. */
	for (struct vma *v = vma_find(mm, start); v && v->start <= end;)
		v = vma_merge(mm, v)->next;
	return 0;
}

/* The highest free range of len bytes below MMAP_TOP, as Linux's top-down
 * mmap layout picks; 0 if there is none. */
uint32_t vma_free_area(struct mm *mm, uint32_t len)
{
	uint32_t best = 0, prev_end = PAGE;     /* never page 0 */
	if (len > MMAP_TOP)
		return 0;
	for (struct vma *v = mm->vmas; ; v = v->next) {
		uint32_t gap_end = v ? v->start : MMAP_TOP;
		if (gap_end > MMAP_TOP)
			gap_end = MMAP_TOP;
		if (gap_end >= prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!v || v->start >= MMAP_TOP)
			break;
		prev_end = v->end;
	}
	return best;
}

int vma_copy_all(struct mm *dst, struct mm *src)
{
	struct vma **tail = &dst->vmas;
	for (struct vma *v = src->vmas; v; v = v->next) {
		if (v->flags & VMA_DONTFORK)
			continue;               /* madvise(MADV_DONTFORK): not the child's */
		struct vma *c = malloc(sizeof *c);
		if (!c)
			return -ENOMEM;
		*c = *v;
		c->next = NULL;
		fmap_get(c->fm);
		*tail = c;
		tail = &c->next;
	}
	return 0;
}

void vma_free_all(struct mm *mm)
{
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		fmap_put(v->fm);
		free(v);
	}
}
