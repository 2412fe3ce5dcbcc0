/*
 * mremap, madvise and mincore for guest processes, with the host kernel's
 * rules (kernel/mm/mremap.c and madvise.c, which follow Linux 6.1's, in
 * its order of checks).  The areas are ours (vma.c); pages move between
 * places with their page-table entries (pgtable.c's pt_move_range), so a
 * moved page is the same page, not a copy.
 */
#include "sys.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <lib/mm_rules.h>

static int private_anon(const struct vma *v)
{
	return !(v->flags & VMA_SHARED) && !v->fm;
}

/* The area holding [addr, addr + old_len) that may become new_len long
 * (Linux's vma_to_resize): 0 and *out, or -errno. */
static long area_to_resize(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_len,
                           struct vma **out)
{
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;                 /* nothing to duplicate */
	if (old_len > v->end - addr)
		return -EFAULT;
	if (new_len != old_len && v->fm &&
	    v->pgoff + (addr - v->start) / PAGE + new_len / PAGE < v->pgoff)
		return -EINVAL;
	*out = v;
	return 0;
}

/* v's [addr, addr + old_len) becomes [to, to + new_len) (free).  A shared
 * area that stays (dontunmap) or is duplicated (old_len 0) keeps its
 * pages in both places. */
static long move_area(struct mm *mm, struct vma *v, uint32_t addr, uint32_t old_len, uint32_t new_len,
                      uint32_t to, int dontunmap)
{
	int shared = v->flags & VMA_SHARED;
	struct vma *moved = vma_add(mm, to, to + new_len, v->prot, v->flags & ~(VMA_STACK | VMA_HEAP));
	if (!moved)
		return -ENOMEM;
	v = vma_find(mm, addr);
	moved->fm = v->fm;
	fmap_get(moved->fm);
	moved->pgoff = v->pgoff + (addr - v->start) / PAGE;
	moved->file_end = v->file_end;
	uint32_t keep = old_len < new_len ? old_len : new_len;
	if (!old_len)                           /* a duplicate: the pages there are, shared */
		keep = new_len < v->end - addr ? new_len : v->end - addr;
	if (pt_move_range(mm, addr, to, keep, v->prot, shared && (dontunmap || !old_len))) {
		vma_remove(mm, to, to + new_len);
		return -ENOMEM;
	}
	/* Shared anonymous memory exists before anyone forks (sys_mm.c): the
	 * part that is new gets its pages now. */
	if (shared && !moved->fm && new_len > keep &&
	    pt_populate(mm, to + keep, to + new_len, v->prot)) {
		vma_remove(mm, to, to + new_len);
		return -ENOMEM;
	}
	if (!dontunmap && old_len)
		vma_remove(mm, addr, addr + old_len);
	vma_merge(mm, vma_find(mm, to));
	return to;
}

/* Where a move without MREMAP_FIXED goes: the hint if free, else the top. */
static uint32_t free_area(struct mm *mm, uint32_t hint, uint32_t len)
{
	uint32_t at = PAGE_UP(hint);
	if (at && at >= PAGE && at <= MMAP_TOP - len && len <= MMAP_TOP && vma_range_free(mm, at, at + len))
		return at;
	return vma_free_area(mm, len);
}

static long remap_to(struct proc *p, uint32_t addr, uint32_t old_len, uint32_t new_addr, uint32_t new_len,
                     int flags)
{
	long err = mremap_check_target(addr, old_len, new_addr, new_len, USER_TOP);
	if (err)
		return err;
	if ((flags & MREMAP_FIXED) && (err = sys_munmap(p, new_addr, new_len)))
		return err;
	if (old_len > new_len) {
		if ((err = sys_munmap(p, addr + new_len, old_len - new_len)))
			return err;
		old_len = new_len;
	}
	struct vma *v;
	if ((err = area_to_resize(p->mm, addr, old_len, new_len, &v)))
		return err;
	uint32_t to = new_addr;
	if (!(flags & MREMAP_FIXED) && !(to = free_area(p->mm, new_addr, new_len)))
		return -ENOMEM;
	return move_area(p->mm, v, addr, old_len, new_len, to, flags & MREMAP_DONTUNMAP);
}

long sys_mremap(struct proc *p, uint32_t addr, uint32_t old_len, uint32_t new_len, int flags,
                uint32_t new_addr)
{
	long checked = mremap_check_flags(addr, old_len, new_len, flags);
	if (checked)
		return checked;
	old_len = PAGE_UP(old_len);             /* wrapping to 0, as Linux's PAGE_ALIGN */
	new_len = PAGE_UP(new_len);
	if (!new_len)
		return -EINVAL;
	struct vma *v = vma_find(p->mm, addr);
	if (!v)
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(p, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {               /* the tail at addr + new_len, in 32 bits */
		long err = old_len > new_len ? sys_munmap(p, addr + new_len, old_len - new_len) : 0;
		return err ? err : (long)addr;
	}
	long err = area_to_resize(p->mm, addr, old_len, new_len, &v);
	if (err)
		return err;
	uint32_t delta = new_len - old_len;
	if (old_len == v->end - addr && v->end + delta > v->end && v->end + delta <= USER_TOP &&
	    vma_range_free(p->mm, v->end, v->end + delta)) {
		uint32_t old_end = v->end;
		if ((v->flags & VMA_SHARED) && !v->fm && pt_populate(p->mm, old_end, old_end + delta, v->prot))
			return -ENOMEM;
		v->end = old_end + delta;       /* in place */
		vma_merge(p->mm, v);
		return addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	uint32_t to = vma_free_area(p->mm, new_len);
	if (!to)
		return -ENOMEM;
	return move_area(p->mm, v, addr, old_len, new_len, to, 0);
}

/* ---- madvise ---- */

static int advise_area(struct proc *p, struct vma *v, uint32_t start, uint32_t end, uint32_t advice)
{
	struct mm *mm = p->mm;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		/* Shared anonymous memory has no other home than its pages:
		 * they stay (the data would, on Linux, in its shmem file). */
		if (!(v->flags & VMA_SHARED) || v->fm)
			pt_unmap_range(mm, start, end);
		return 0;
	case MADV_FREE:
		return private_anon(v) ? 0 : -EINVAL;
	case MADV_REMOVE:
		if (!(v->flags & VMA_SHARED))
			return v->fm ? -EACCES : -EINVAL;
		return (v->prot & PROT_WRITE) ? -EOPNOTSUPP : -EACCES;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_DONTFORK:
	case MADV_DOFORK: {
		if (advice == MADV_WIPEONFORK && !private_anon(v))
			return -EINVAL;
		if (vma_cut(mm, start, end))
			return -ENOMEM;
		v = vma_find(mm, start);
		int flag = (advice == MADV_WIPEONFORK || advice == MADV_KEEPONFORK) ? VMA_WIPEONFORK
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
		int write = advice == MADV_POPULATE_WRITE;
		if (!(v->prot & (write ? PROT_WRITE : PROT_READ)))
			return -EINVAL;
		for (uint32_t va = start; va < end; va += PAGE) {
			int r = pt_fault_in(mm, va, write);
			if (r < 0)
				return r == -ENOMEM ? -ENOMEM : -EFAULT;
		}
		return 0;
	}
	default:
		return 0;                       /* a hint */
	}
}

long sys_madvise(struct proc *p, uint32_t addr, uint32_t len, uint32_t advice)
{
	uint32_t end;
	long checked = madvise_check(addr, len, advice, &end);
	if (checked)
		return checked < 0 ? checked : 0;
	long unmapped = 0;
	for (uint32_t at = addr; at < end;) {
		struct vma *v = p->mm->vmas;
		while (v && v->end <= at)
			v = v->next;
		if (!v || v->start >= end)
			return -ENOMEM;
		if (at < v->start) {
			unmapped = -ENOMEM;
			at = v->start;
		}
		uint32_t stop = v->end < end ? v->end : end;
		int err = advise_area(p, v, at, stop, advice);
		if (err)
			return err;
		at = stop;
	}
	return unmapped;
}

/* ---- mincore ---- */

/* Does the host file have data at off?  (Its position is kept: the
 * descriptor is shared with the process's open file.) */
static int file_has_page(int fd, uint64_t off)
{
	uint32_t lo, hi;
	int64_t pos, got;
	lo = (uint32_t)off, hi = (uint32_t)(off >> 32);
	if (__syscall5(__NR__llseek, fd, 0, 0, (long)&pos, SEEK_CUR) < 0)
		return 0;
	int ok = __syscall5(__NR__llseek, fd, hi, lo, (long)&got, SEEK_DATA) == 0 && (uint64_t)got == off;
	__syscall5(__NR__llseek, fd, (uint32_t)(pos >> 32), (uint32_t)pos, (long)&got, SEEK_SET);
	return ok;
}

long sys_mincore(struct proc *p, uint32_t addr, uint32_t len, uint32_t uvec)
{
	if (addr & (PAGE - 1))
		return -EINVAL;
	if (addr > USER_TOP || len > USER_TOP - addr)
		return -ENOMEM;
	uint32_t pages = len / PAGE + (len % PAGE != 0);
	if (uvec > USER_TOP || pages > USER_TOP - uvec)
		return -EFAULT;
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t va = addr + i * PAGE;
		struct vma *v = vma_find(p->mm, va);
		if (!v)
			return -ENOMEM;
		uint32_t *e = pt_lookup(p->mm, va, 0);
		uint8_t resident = e && (*e & PTE_P);
		if (!resident && v->fm)
			resident = file_has_page(v->fm->hostfd, ((uint64_t)v->pgoff + (va - v->start) / PAGE) * PAGE);
		if (copy_to_user(p, uvec + i, &resident, 1))
			return -EFAULT;
	}
	return 0;
}
