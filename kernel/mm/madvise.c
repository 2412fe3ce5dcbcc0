/*
 * madvise and mincore on any address space, as Linux 6.1 (i386, Debian's
 * configuration) answers them; which advice is valid, and for which kind
 * of mapping, was asked of Linux with a probe.
 *
 * What the advice does here:
 *   MADV_DONTNEED      the pages go: a private anonymous page reads as
 *                      zeros again, a private file page as the file, a
 *                      shared page as what the shared memory holds;
 *   MADV_DONTFORK,     the area is not given to a child by fork (or given
 *   MADV_DOFORK        again);
 *   MADV_WIPEONFORK,   the child gets the area empty (private anonymous
 *   MADV_KEEPONFORK    memory only: EINVAL otherwise), or its pages again;
 *   MADV_POPULATE_READ/_WRITE  fault every page in now, as a read or a
 *                      write (EINVAL if the rights do not allow it, EFAULT
 *                      for a file page past the end of the file);
 *   MADV_FREE          private anonymous only (EINVAL otherwise); Linux
 *                      frees such pages only under memory pressure and a
 *                      program must expect either, so they stay;
 *   MADV_REMOVE        private mappings: EINVAL (anonymous) or EACCES
 *                      (file); shared writable ones would need the file
 *                      system to punch a hole, which ramfs cannot, and
 *                      Linux says EOPNOTSUPP for such file systems;
 *   the rest (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, MERGEABLE,
 *   UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, COLD, PAGEOUT)
 *   only tells the kernel what is coming: nothing to do.
 *
 * Unmapped pages in the range make the call ENOMEM, after the advice was
 * applied to the mapped parts, as Linux's madvise_walk_vmas does.
 */
#include <kernel/vfs.h>
#include <lib/mm_rules.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "pte.h"

static bool private_anon(const struct vma *v)
{
	return !(v->flags & VMA_SHARED) && !v->inode;
}

/* The advice on [start, end), which lies in v: 0 or -errno. */
static int advise_area(struct mm *mm, struct vma *v, uint32_t start, uint32_t end, uint32_t advice)
{
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:		/* nothing is locked here */
		pte_clear_range(mm, start, end);
		return 0;
	case MADV_FREE:
		return private_anon(v) ? 0 : -EINVAL;
	case MADV_REMOVE:
		if (!(v->flags & VMA_SHARED))
			return v->inode ? -EACCES : -EINVAL;
		return (v->prot & PROT_WRITE) ? -EOPNOTSUPP : -EACCES;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_DONTFORK:
	case MADV_DOFORK: {
		if (advice == MADV_WIPEONFORK && !private_anon(v))
			return -EINVAL;
		/* A flag of the whole area: cut out the range first. */
		if (vma_split_range(mm, start, end))
			return -ENOMEM;
		v = vma_find(mm, start);
		uint32_t flag = (advice == MADV_WIPEONFORK || advice == MADV_KEEPONFORK) ? VMA_WIPEONFORK
											  : VMA_DONTFORK;
		if (advice == MADV_WIPEONFORK || advice == MADV_DONTFORK)
			v->flags |= flag;
		else
			v->flags &= ~flag;
		vma_merge(mm, v);
		return 0;
	}
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: {
		bool write = advice == MADV_POPULATE_WRITE;
		if (!(v->prot & (write ? PROT_WRITE : PROT_READ)))
			return -EINVAL;		/* Linux: "incompatible permissions" */
		for (uint32_t va = start; va < end; va += PAGE_SIZE) {
			int err = mm_fault(mm, va, write);
			if (err)
				return err == -ENOMEM ? -ENOMEM : -EFAULT;
		}
		return 0;
	}
	default:
		return 0;			/* a hint: nothing to do */
	}
}

long mm_advise(struct mm *mm, uint32_t addr, uint32_t len, uint32_t advice)
{
	uint32_t end;
	long checked = madvise_check(addr, len, advice, &end);
	if (checked)
		return checked < 0 ? checked : 0;
	long unmapped = 0;
	uint32_t at = addr;
	struct vma *v = mm->vmas;
	while (at < end) {
		while (v && v->end <= at)
			v = v->next;
		if (!v)
			return -ENOMEM;
		if (v->start >= end)
			return -ENOMEM;
		if (at < v->start) {
			unmapped = -ENOMEM;	/* a hole: go on, and say so at the end */
			at = v->start;
		}
		uint32_t stop = v->end < end ? v->end : end;
		uint32_t next = v->end;
		int err = advise_area(mm, v, at, stop, advice);
		if (err)
			return err;
		at = stop < next ? stop : next;
		v = mm->vmas;			/* the areas may have been cut and joined */
	}
	return unmapped;
}

/* Is the page at va resident: mapped now, or (a file mapping) a page the
 * file has, as Linux's mincore asks the page cache? */
static bool resident(struct mm *mm, const struct vma *v, uint32_t va)
{
	uint32_t *slot = pte_slot_of(mm, va, false);
	if (slot && pte_has_page(*slot))
		return true;
	if (!v->inode)
		return false;
	uint64_t off = ((uint64_t)v->pgoff + (va - v->start) / PAGE_SIZE) * PAGE_SIZE;
	return vfs_page_present(v->inode, off);
}

long mm_mincore(struct mm *mm, uint32_t addr, uint32_t len, uint8_t *vec, uint32_t *done)
{
	*done = 0;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (addr > USER_END || len > USER_END - addr)
		return -ENOMEM;
	uint32_t pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t va = addr + i * PAGE_SIZE;
		struct vma *v = vma_find(mm, va);
		if (!v)
			return -ENOMEM;
		vec[i] = resident(mm, v, va);
		*done = i + 1;
	}
	return 0;
}
