/*
 * mm_map, mm_unmap, mm_protect and mm_brk: the mapping calls on any address
 * space.  The system calls (mmap_syscalls.c) apply them to the caller's
 * own, the altmm calls to a space named by a descriptor.  Argument checks
 * and error numbers follow Linux's, in the same order, because programs
 * and the tests depend on which error comes first.
 *
 * Nothing here knows of tasks or descriptors, so it builds on the host
 * (tests/host/).
 */
#include <kernel/heap.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <lib/mm_rules.h>
#include "pte.h"

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
/* Highest free gap of len bytes below MMAP_TOP, or 0. */
static uint32_t find_gap(struct mm *mm, uint32_t len)
{
	uint32_t best = 0;
	uint32_t gap_start = MMAP_BOTTOM;
	for (struct vma *v = mm->vmas;; v = v->next) {
		uint32_t gap_end = v ? v->start : USER_END;
		if (gap_end > MMAP_TOP)
			gap_end = MMAP_TOP;
		if (gap_end > gap_start && gap_end - gap_start >= len)
			best = gap_end - len;	/* the highest fit seen so far */
		if (!v)
			break;
		if (v->end > gap_start)
			gap_start = v->end;
	}
	return best;
}

uint32_t mm_free_area(struct mm *mm, uint32_t hint, uint32_t len)
{
	uint32_t addr = PAGE_UP(hint);
	if (!addr || addr > USER_END - len || addr < MMAP_BOTTOM || !vma_range_free(mm, addr, addr + len))
		addr = find_gap(mm, len);
	return addr;
}

int mm_unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	mm_total_vm(mm);	/* VmPeak counts what is about to go */
	if (vma_split_range(mm, start, end))
		return -ENOMEM;
	struct vma **p = &mm->vmas;
	while (*p) {
		struct vma *v = *p;
		if (v->start >= start && v->end <= end) {
			pte_clear_range(mm, v->start, v->end);
			*p = v->next;
			vma_free(v);
		} else {
			p = &v->next;
		}
	}
	return 0;
}

/*
 * mm_map's checks, in Linux 6.1's order (do_mmap): the length (0 is
 * EINVAL; rounding up that wraps is ENOMEM), the file offset (EOVERFLOW,
 * whatever the mapping), the address (a fixed range past the top, then its
 * alignment, then MAP_FIXED_NOREPLACE's EEXIST, with or without
 * MAP_FIXED; else a free gap, ENOMEM without one), the type (a file may be
 * MAP_SHARED_VALIDATE, with no flag it does not know: EOPNOTSUPP; memory
 * may not), and last the protection bits, which Linux's mmap ignores but
 * altmm's mm_mmap refuses (the mmap system call masks them first).
 * Returns where the mapping goes, or -errno; changes nothing.
 */
long mm_map_check(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, bool file,
		  uint32_t pgoff)
{
	if (len == 0)
		return -EINVAL;
	if (len > 0xFFFFF000u)
		return -ENOMEM;
	len = PAGE_UP(len);
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	/* From here on len <= USER_END, so USER_END - len cannot wrap. */
	if (len > USER_END)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_END - len)	/* Linux: the range first, then alignment */
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(mm, addr, addr + len))
			return -EEXIST;
	} else if (!(addr = mm_free_area(mm, addr, len))) {
		return -ENOMEM;
	}
	long err = mmap_check_type(flags & ~MM_MAP_NO_MAYWRITE, file);
	if (err)
		return err;
	if (prot & ~(PROT_ALL | PROT_SEM))
		return -EINVAL;
	return addr;
}

long mm_map(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	    struct inode *inode, uint32_t pgoff)
{
	long checked = mm_map_check(mm, addr, len, prot, flags, inode != 0, pgoff);
	if (mm_is_err(checked))
		return checked;
	addr = (uint32_t)checked;
	len = PAGE_UP(len);
	uint32_t type = flags & MAP_TYPE;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	struct vma want = {
		.start = addr, .end = addr + len, .prot = prot & PROT_ALL,
		.flags = ((type != MAP_PRIVATE) ? VMA_SHARED : 0) |
			 ((flags & MM_MAP_NO_MAYWRITE) ? 0 : VMA_MAYWRITE),
		.inode = inode, .pgoff = inode ? pgoff : 0,
	};
	/* A guest kernel fills a space page after page: usually the range is
	 * free and continues the area before it, which then just grows (what
	 * a new area, linked and merged, would come to, without either). */
	if (fixed && vma_grow_into(mm, &want))
		return addr;
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	if (fixed && mm_unmap_range(mm, addr, addr + len)) {
		kfree(v);
		return -ENOMEM;
	}
	*v = want;
	if (inode)
		inode_get(inode);
	vma_link(mm, v);
	vma_merge(mm, v);
	return addr;
}

long mm_unmap(struct mm *mm, uint32_t addr, uint32_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr >= USER_END || len > USER_END - addr)
		return -EINVAL;
	return mm_unmap_range(mm, addr, addr + PAGE_UP(len));
}

/* Linux's order of checks: growth both ways, alignment, a zero length
 * (success, whatever prot says), a range that wraps, prot's bits, then
 * the mappings.  A range reaching into the kernel half has no mapping
 * there: ENOMEM, like any unmapped page. */
long mm_protect(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot)
{
	if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (len > 0xFFFFF000u || addr + PAGE_UP(len) <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_ALL | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr >= USER_END || PAGE_UP(len) > USER_END - addr)
		return -ENOMEM;
	uint32_t end = addr + PAGE_UP(len);
	/* The first area ending above addr decides, as in Linux: with
	 * PROT_GROWSDOWN the range reaches down to the start of that area,
	 * which must grow down (only the main stack does); i386 has no area
	 * that grows up, so PROT_GROWSUP on a mapped address is EINVAL. */
	struct vma *first = mm->vmas;
	while (first && first->end <= addr)
		first = first->next;
	if (!first)
		return -ENOMEM;
	if (prot & PROT_GROWSDOWN) {
		if (first->start >= end)
			return -ENOMEM;
		if (!(first->flags & VMA_STACK))
			return -EINVAL;
		addr = first->start;
	} else if (first->start > addr) {
		return -ENOMEM;
	} else if (prot & PROT_GROWSUP) {
		return -EINVAL;
	}
	/* Linux refuses the whole call if any page of the range is unmapped. */
	uint32_t covered = addr;
	for (struct vma *v = mm->vmas; v && covered < end; v = v->next)
		if (v->end > covered && v->start <= covered)
			covered = v->end;
	if (covered < end)
		return -ENOMEM;
	/* A shared mapping of a file opened read-only can never become
	 * writable.  (Linux finds this area by area and keeps what it changed
	 * before; refusing first changes nothing.) */
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > addr && (prot & PROT_WRITE) && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
	if (vma_split_range(mm, addr, end))
		return -ENOMEM;
	prot &= PROT_ALL;
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
		if (v->end <= addr)
			continue;
		v->prot = prot;
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint32_t *slot = pte_slot_of(mm, va, false);
			if (!slot) {
				va = (va | 0x3FFFFF) - (PAGE_SIZE - 1);
				continue;
			}
			if (!pte_has_page(*slot))
				continue;
			uint32_t phys = *slot & PTE_ADDR_MASK;
			if (!(prot & PROT_ALL))
				*slot = phys | PTE_HELD;
			else	/* writable again only through a fault, which decides on copying */
				*slot = phys | PTE_PRESENT | PTE_USER |
					((prot & PROT_WRITE) && (v->flags & VMA_SHARED) ? PTE_WRITE : 0);
			tlb_flush_page(mm, va);
		}
	}
	/* Join the areas that now continue their neighbours, as Linux does
	 * (a guest kernel protecting page by page would otherwise leave one
	 * area per page, and /proc/PID/maps would differ from Linux's).  The
	 * area starting at end too: the last one may now continue it. */
	for (struct vma *v = vma_find(mm, addr); v && v->start <= end;)
		v = vma_merge(mm, v)->next;
	return 0;
}

/*
 * brk: the heap is one anonymous VMA from brk_start, grown or shrunk in
 * place.  Like Linux, a request that cannot be met returns the old break
 * rather than an error.
 */
uint32_t mm_brk(struct mm *mm, uint32_t want)
{
	uint32_t old_end = PAGE_UP(mm->brk), new_end = PAGE_UP(want);
	if (want < mm->brk_start || want >= MMAP_TOP)
		return mm->brk;
	if (new_end > old_end) {
		/* Like Linux, keep a page free between the heap and the next mapping. */
		if (new_end + PAGE_SIZE < new_end || !vma_range_free(mm, old_end, new_end + PAGE_SIZE))
			return mm->brk;
		struct vma *heap = vma_find(mm, old_end - 1);
		if (old_end > mm->brk_start && heap && (heap->flags & VMA_HEAP)) {
			heap->end = new_end;
		} else {
			struct vma *v = kzalloc(sizeof *v);
			if (!v)
				return mm->brk;
			v->start = old_end;
			v->end = new_end;
			v->prot = PROT_READ | PROT_WRITE;
			v->flags = VMA_HEAP;
			vma_link(mm, v);
		}
	} else if (new_end < old_end) {
		if (mm_unmap_range(mm, new_end, old_end))
			return mm->brk;
	}
	mm->brk = want;
	return want;
}
