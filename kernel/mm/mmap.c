/*
 * mmap, munmap, mprotect, brk and msync.
 *
 * mm_map, mm_unmap and mm_protect work on any address space; the system
 * calls below apply them to the caller's own.  (The altmm calls will apply
 * the same three to an address space named by a descriptor.)  Argument
 * checks and error numbers follow Linux's, in the same order, because
 * programs and the tests depend on which error comes first.
 */
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include <uapi/stat.h>
#include "pte.h"

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
/* Flags mm_map understands; MAP_SHARED_VALIDATE refuses any other. */
#define MAP_KNOWN	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
			 MAP_STACK | MAP_FIXED_NOREPLACE)

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

/* Remove every mapping in [start, end): the shared core of munmap. */
static int unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	if (vma_split_at(mm, start) || vma_split_at(mm, end))
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

long mm_map(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	    struct inode *inode, uint32_t pgoff)
{
	if (len == 0)
		return -EINVAL;
	uint32_t type = flags & MAP_TYPE;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~(MAP_KNOWN | MM_MAP_NO_MAYWRITE)))
		return -EOPNOTSUPP;
	if (prot & ~(PROT_ALL | PROT_SEM))
		return -EINVAL;
	if (len > 0xFFFFF000u)
		return -ENOMEM;
	len = PAGE_UP(len);
	if (inode && pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	/* From here on len <= USER_END, so USER_END - len cannot wrap. */
	if (len > USER_END)
		return -ENOMEM;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed) {
		if (addr > USER_END - len)	/* Linux: the range first, then alignment */
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    !vma_range_free(mm, addr, addr + len))
			return -EEXIST;
	} else {
		addr = PAGE_UP(addr);
		if (!addr || addr > USER_END - len || addr < MMAP_BOTTOM ||
		    !vma_range_free(mm, addr, addr + len))
			addr = find_gap(mm, len);
		if (!addr)
			return -ENOMEM;
	}

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
	if (fixed && unmap_range(mm, addr, addr + len)) {
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
	return unmap_range(mm, addr, addr + PAGE_UP(len));
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
	/* Linux refuses the whole call if any page of the range is unmapped. */
	uint32_t covered = addr;
	for (struct vma *v = mm->vmas; v && covered < end; v = v->next)
		if (v->end > covered && v->start <= covered)
			covered = v->end;
	if (covered < end)
		return -ENOMEM;
	if (vma_split_at(mm, addr) || vma_split_at(mm, end))
		return -ENOMEM;

	/* A shared mapping of a file opened read-only can never become writable. */
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > addr && (prot & PROT_WRITE) && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
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
	return 0;
}

long mm_map_fd(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd,
	       uint32_t pgoff)
{
	flags &= ~MM_MAP_NO_MAYWRITE;	/* the kernel's own bit, never the caller's */
	if (flags & MAP_ANONYMOUS) {
		if ((flags & MAP_TYPE) == MAP_PRIVATE)
			return mm_map(mm, addr, len, prot, flags, 0, 0);
		/* Shared anonymous memory needs pages both sides of a fork can find. */
		if (len == 0)
			return -EINVAL;
		struct inode *shm;
		long r = vfs_shmem_create(PAGE_UP(len), &shm);
		if (r)
			return r;
		r = mm_map(mm, addr, len, prot, flags, shm, 0);
		inode_put(shm);
		return r;
	}
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r;
	uint32_t acc = f->flags & O_ACCMODE;
	if (acc == O_WRONLY)
		r = -EACCES;
	else if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) &&
		 (acc != O_RDWR || (f->flags & O_APPEND)))
		r = -EACCES;
	else if (inode_is_dev_zero(f->inode))
		r = mm_map_fd(mm, addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	else if (!inode_mappable(f->inode))
		r = -ENODEV;	/* a directory, a device, an address space... */
	else	/* a shared mapping of a read-only file: mprotect will refuse PROT_WRITE */
		r = mm_map(mm, addr, len, prot,
			   flags | ((flags & MAP_TYPE) != MAP_PRIVATE && acc != O_RDWR ? MM_MAP_NO_MAYWRITE : 0),
			   f->inode, pgoff);
	file_put(f);
	return r;
}

static long sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint32_t pgoff)
{
	return mm_map_fd(current->mm, addr, len, prot, flags, fd, pgoff);
}
SYSCALL(mmap2, sys_mmap2);

/* The old i386 mmap (90): one pointer to six words, offset in bytes. */
static long sys_old_mmap(const uint32_t __user *args)
{
	uint32_t a[6];
	if (copy_from_user(a, args, sizeof a))
		return -EFAULT;
	if (a[5] & (PAGE_SIZE - 1))
		return -EINVAL;
	return mm_map_fd(current->mm, a[0], a[1], a[2], a[3], (int)a[4], a[5] >> PAGE_SHIFT);
}
SYSCALL(mmap, sys_old_mmap);

static long sys_munmap(uint32_t addr, uint32_t len)
{
	return mm_unmap(current->mm, addr, len);
}
SYSCALL(munmap, sys_munmap);

static long sys_mprotect(uint32_t addr, uint32_t len, uint32_t prot)
{
	return mm_protect(current->mm, addr, len, prot);
}
SYSCALL(mprotect, sys_mprotect);

/*
 * brk: the heap is one anonymous VMA from brk_start, grown or shrunk in
 * place.  Like Linux, a request that cannot be met returns the old break
 * rather than an error.
 */
static long sys_brk(uint32_t want)
{
	struct mm *mm = current->mm;
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
		if (unmap_range(mm, new_end, old_end))
			return mm->brk;
	}
	mm->brk = want;
	return want;
}
SYSCALL(brk, sys_brk);

/* The root file system's file pages are the mapped pages themselves, so
 * shared mappings are always in sync; msync only checks its arguments. */
static long sys_msync(uint32_t addr, uint32_t len, uint32_t flags)
{
	if ((addr & (PAGE_SIZE - 1)) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	uint32_t end = addr + PAGE_UP(len);
	if (end < addr)
		return -ENOMEM;
	for (uint32_t a = addr; a < end;) {
		struct vma *v = vma_find(current->mm, a);
		if (!v)
			return -ENOMEM;
		a = v->end;
	}
	return 0;
}
SYSCALL(msync, sys_msync);
