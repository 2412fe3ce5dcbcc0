/*
 * mm_remap: mremap on any address space, as Linux 6.1's mm/mremap.c does
 * it, with its checks in its order (programs see which error comes first):
 *
 *   - shrinking (new_len <= old_len, no MREMAP_FIXED/DONTUNMAP): unmap the
 *     tail, keep the address;
 *   - growing: in place if the range ends where its area ends and the
 *     addresses after it are free (the area just grows; pages come by
 *     fault), else, with MREMAP_MAYMOVE, somewhere else: a new area of
 *     new_len with the same rights and backing, the old pages moved into
 *     it entry by entry (not copied: the same frames, the same copy-on-
 *     write state), and the old range unmapped;
 *   - MREMAP_FIXED moves to new_addr, replacing what is there;
 *     MREMAP_DONTUNMAP moves the pages but leaves the old area mapped, and
 *     empty (anonymous pages read as zeros again, file pages come back
 *     from the file).
 *
 * The range to move must lie in one area (EFAULT), which is what glibc's
 * realloc of a large block asks: one mapping, grown or moved.
 */
#include <kernel/heap.h>
#include <kernel/vfs.h>
#include <lib/mm_rules.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "pte.h"

/* Linux's vma_to_resize: the area holding [addr, addr + old_len) that may
 * become new_len long, or an error. */
static long area_to_resize(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_len,
			   struct vma **out)
{
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	/* old_len 0 "duplicates" a mapping: only a shared one has anything
	 * to duplicate. */
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	if (old_len > v->end - addr)
		return -EFAULT;			/* not across areas */
	if (new_len != old_len && v->inode) {
		uint32_t pgoff = v->pgoff + (addr - v->start) / PAGE_SIZE;
		if (pgoff + new_len / PAGE_SIZE < pgoff)
			return -EINVAL;
	}
	*out = v;
	return 0;
}

/* Move the page-table entries of [from, from + len) to [to, to + len).
 * The tables the destination needs are made first, so that running out of
 * memory (-ENOMEM) leaves every entry where it was. */
static int move_entries(struct mm *mm, uint32_t from, uint32_t to, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *src = pte_slot_of(mm, from + off, false);
		if (!src) {
			off = ((from + off) | 0x3FFFFF) - from - (PAGE_SIZE - 1);	/* no table: skip it */
			continue;
		}
		if (*src && !pte_slot_of(mm, to + off, true))
			return -ENOMEM;
	}
	for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *src = pte_slot_of(mm, from + off, false);
		if (!src) {
			off = ((from + off) | 0x3FFFFF) - from - (PAGE_SIZE - 1);
			continue;
		}
		if (!*src)
			continue;
		*pte_slot_of(mm, to + off, false) = *src;	/* its reference moves with it */
		*src = 0;
		tlb_flush_page(mm, from + off);
		tlb_flush_page(mm, to + off);
	}
	return 0;
}

/* Linux's move_vma: v's [addr, addr + old_len) becomes [to, to + new_len)
 * (to is free), and the old range goes unless dontunmap. */
static long move_area(struct mm *mm, struct vma *v, uint32_t addr, uint32_t old_len,
		      uint32_t new_len, uint32_t to, bool dontunmap)
{
	/* Cut the old range out first: after the move nothing may fail. */
	if (old_len && vma_split_range(mm, addr, addr + old_len))
		return -ENOMEM;
	v = vma_find(mm, addr);
	struct vma *moved = kmalloc(sizeof *moved);
	if (!moved) {
		vma_merge(mm, v);		/* join the cut pieces again */
		return -ENOMEM;
	}
	*moved = *v;
	moved->start = to;
	moved->end = to + new_len;
	if (moved->inode) {
		moved->pgoff = v->pgoff + (addr - v->start) / PAGE_SIZE;
		inode_get(moved->inode);
	}
	moved->flags &= ~VMA_STACK;		/* a moved stack no longer grows */
	if (move_entries(mm, addr, to, old_len)) {
		vma_free(moved);
		vma_merge(mm, v);
		return -ENOMEM;
	}
	vma_link(mm, moved);
	if (dontunmap)
		vma_merge(mm, v);	/* the old range stays, whole with its area again */
	else if (old_len)
		mm_unmap_range(mm, addr, addr + old_len);	/* split already: cannot fail */
	vma_merge(mm, moved);
	return (long)to;
}

/* Can v (ending at end) grow by delta in place?  Linux's vma_expandable. */
static bool expandable(struct mm *mm, struct vma *v, uint32_t delta)
{
	uint32_t end = v->end + delta;
	if (end < v->end || end > USER_END)
		return false;
	return vma_range_free(mm, v->end, end);
}

/* MREMAP_FIXED and MREMAP_DONTUNMAP: Linux's mremap_to. */
static long remap_to(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_addr,
		     uint32_t new_len, uint32_t flags)
{
	long err = mremap_check_target(addr, old_len, new_addr, new_len, USER_END);
	if (err)
		return err;
	if ((flags & MREMAP_FIXED) && (err = mm_unmap(mm, new_addr, new_len)))
		return err;
	if (old_len > new_len) {
		if ((err = mm_unmap(mm, addr + new_len, old_len - new_len)))
			return err;
		old_len = new_len;
	}
	struct vma *v;
	if ((err = area_to_resize(mm, addr, old_len, new_len, &v)))
		return err;
	uint32_t to = new_addr;
	if (!(flags & MREMAP_FIXED) && !(to = mm_free_area(mm, new_addr, new_len)))
		return -ENOMEM;
	return move_area(mm, v, addr, old_len, new_len, to, flags & MREMAP_DONTUNMAP);
}

long mm_remap(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags,
	      uint32_t new_addr)
{
	long checked = mremap_check_flags(addr, old_len, new_len, flags);
	if (checked)
		return checked;
	old_len = PAGE_UP(old_len);		/* as Linux's PAGE_ALIGN, wrapping to 0 */
	new_len = PAGE_UP(new_len);
	if (!new_len)
		return -EINVAL;
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(mm, addr, old_len, new_addr, new_len, flags);
	/* Shrinking is always allowed.  The tail starts at addr + new_len in
	 * 32 bits, wrapping as on Linux i386 (which then unmaps down there). */
	if (old_len >= new_len) {
		long err = old_len > new_len ? mm_unmap(mm, addr + new_len, old_len - new_len) : 0;
		return err ? err : (long)addr;
	}
	long err = area_to_resize(mm, addr, old_len, new_len, &v);
	if (err)
		return err;
	if (old_len == v->end - addr && expandable(mm, v, new_len - old_len)) {
		v->end = addr + new_len;	/* in place: the pages come by fault */
		vma_merge(mm, v);
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	uint32_t to = mm_free_area(mm, 0, new_len);
	if (!to)
		return -ENOMEM;
	return move_area(mm, v, addr, old_len, new_len, to, false);
}
