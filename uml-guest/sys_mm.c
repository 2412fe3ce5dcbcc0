/*
 * The memory calls of guest processes: brk, mmap2, munmap, mprotect.
 *
 * They change the process's areas (vma.c) and, through them, its page
 * table and host space.  Anonymous memory is demand-paged: mmap only
 * records the area, and each page arrives when it is first touched (a
 * fault, fault.c).  A regular file's mapping, shared or private, gets
 * the host file's own pages when touched (filemap.c), so it is coherent
 * with read and write.  Other files (devices) are copied at once into
 * fresh pages, and only read-only if shared.  Shared anonymous memory gets
 * all its pages at once, so that a fork can share them (a page first
 * touched after the fork would be two pages).
 */
#include "file.h"
#include "sys.h"
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <lib/mm_rules.h>

/* The heap area, if there is one ending at end. */
static struct vma *heap_ending_at(struct mm *mm, uint32_t end)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if ((v->flags & VMA_HEAP) && v->end == end)
			return v;
	return NULL;
}

/* brk returns the new break, or the old one when it cannot move (Linux's
 * convention); it must stay a page away from the next mapping. */
long sys_brk(struct proc *p, uint32_t want)
{
	struct mm *mm = p->mm;
	if (want < mm->brk_start || want >= MMAP_TOP)
		return mm->brk;
	uint32_t old_end = PAGE_UP(mm->brk), new_end = PAGE_UP(want);
	if (new_end > old_end) {
		if (!vma_range_free(mm, old_end, new_end + PAGE))
			return mm->brk;
		struct vma *heap = heap_ending_at(mm, old_end);
		if (heap)
			heap->end = new_end;
		else if (!vma_add(mm, old_end, new_end, PROT_READ | PROT_WRITE, VMA_HEAP))
			return mm->brk;
	} else if (new_end < old_end) {
		vma_remove(mm, new_end, old_end);
	}
	mm->brk = want;
	return want;
}

/* Where a new mapping of len bytes goes: 0 with *at set, or -errno.
 * (Not one return value: addresses above 2 GiB would read as negative.) */
static int choose_address(struct proc *p, uint32_t addr, uint32_t len, int flags, uint32_t *at)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_TOP - len)      /* len <= USER_TOP: no wrap (Linux: range, then alignment) */
			return -ENOMEM;
		if (addr & (PAGE - 1))
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(p->mm, addr, addr + len))
			return -EEXIST;
		*at = addr;
		return 0;
	}
	if (addr && !(addr & (PAGE - 1)) && addr + len <= MMAP_TOP && addr + len > addr &&
	    vma_range_free(p->mm, addr, addr + len)) {
		*at = addr;                     /* the hint is free: take it */
		return 0;
	}
	*at = vma_free_area(p->mm, len);
	return *at ? 0 : -ENOMEM;
}

static bool range_free(void *mm, uint32_t start, uint32_t end) { return vma_range_free(mm, start, end); }

/*
 * Linux's order (do_mmap): the descriptor is looked up first (and
 * MAP_HUGETLB has its own rules, <lib/mm_rules.h>); then the
 * length (0: EINVAL; rounding up wraps: ENOMEM), the file offset
 * (EOVERFLOW), the address (choose_address: a fixed range, then its
 * alignment, then MAP_FIXED_NOREPLACE's EEXIST), and only then the type
 * (mmap_check_type) and the file itself (access, then what it is, then
 * MAP_GROWSDOWN, which no file mapping may have).
 */
long sys_mmap2(struct proc *p, uint32_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff)
{
	int type = flags & MAP_TYPE;
	int anon = flags & MAP_ANONYMOUS;
	struct gfile *f = NULL;
	struct stat64 st;
	int regular = 0;

	if (!anon && (!(f = fd_file(p, fd)) || (f->flags & O_PATH)))
		return -EBADF;                  /* O_PATH: a name, not a file to map */
	if (flags & MAP_HUGETLB)                /* no file is on hugetlbfs, and no huge pages */
		return anon ? mmap_hugetlb_anon(addr, len, flags, pgoff, USER_TOP, range_free, p->mm) : -EINVAL;
	if (!len)
		return -EINVAL;
	len = PAGE_UP(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (len > USER_TOP)
		return -ENOMEM;
	uint32_t at;
	int err = choose_address(p, addr, len, flags, &at);
	if (err)
		return err;
	err = mmap_check_type(flags, !anon);
	if (err)
		return err;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (anon && type != MAP_PRIVATE && (flags & MAP_GROWSDOWN))
		return -EINVAL;
	if (!anon) {
		int acc = f->flags & O_ACCMODE;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
			return -EACCES;
		if (acc == O_WRONLY)
			return -EACCES;
		if (f->type != F_HOST)
			return -ENODEV;
		if (__syscall2(__NR_fstat64, f->hostfd, &st) < 0 || S_ISDIR(st.st_mode))
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;         /* no file mapping grows */
		regular = S_ISREG(st.st_mode);
		if (!regular && type != MAP_PRIVATE && (prot & PROT_WRITE)) {
			log_missing(p, "shared writable file mapping, prot", prot);
			return -ENODEV;         /* shared writable device mappings: not yet */
		}
	}
	vma_remove(p->mm, at, at + len);            /* MAP_FIXED replaces what was there */
	int vflags = (type != MAP_PRIVATE && (anon || regular) ? VMA_SHARED : 0) |
	             (anon ? 0 : VMA_FILE);
	struct vma *v = vma_add(p->mm, at, at + len, prot, vflags);
	if (!v)
		return -ENOMEM;
	if (regular) {                          /* pages come when touched (filemap.c) */
		v->fm = fmap_new(f->hostfd, (f->flags & O_ACCMODE) == O_RDWR);
		v->pgoff = pgoff;
		if (!v->fm) {
			vma_remove(p->mm, at, at + len);
			return -ENOMEM;
		}
		return at;
	}
	if (anon && !vflags) {
		vma_merge(p->mm, v);            /* it may continue its neighbours */
		return at;                      /* private: pages come when touched */
	}
	/* Shared memory must exist before a fork shares it: all pages now.
	 * A file's pages are read now; those wholly beyond its end are SIGBUS. */
	uint32_t fill = len;
	if (!anon)
		v->file_end = at + fill;        /* a device: no end */
	err = pt_populate(p->mm, at, at + fill, prot);
	if (!err && !anon)
		err = user_pread(p->mm, f->hostfd, at, fill, (uint64_t)pgoff << PAGE_SHIFT);
	if (err) {
		vma_remove(p->mm, at, at + len);
		return err == -EIO ? -EACCES : err;
	}
	return at;
}

long sys_munmap(struct proc *p, uint32_t addr, uint32_t len)
{
	if ((addr & (PAGE - 1)) || addr > USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	len = PAGE_UP(len);
	if (!len)
		return -EINVAL;
	return vma_remove(p->mm, addr, addr + len);
}

long sys_mprotect(struct proc *p, uint32_t addr, uint32_t len, int prot)
{
	/* Linux's order: growth both ways, alignment, a zero length (success,
	 * whatever prot says), a range that wraps, prot's bits, the areas. */
	if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr & (PAGE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_UP(len);
	if (!len || addr + len <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr + len > USER_TOP)
		return -ENOMEM;
	/* The first area ending above addr decides, as in Linux: with
	 * PROT_GROWSDOWN the range reaches down to the start of that area,
	 * which must grow down (only the stack does); i386 has no area that
	 * grows up, so PROT_GROWSUP on a mapped address is EINVAL. */
	uint32_t end = addr + len;
	struct vma *first = p->mm->vmas;
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
	return vma_protect(p->mm, addr, end, prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/* msync: the pages of a mapped file are the host's own (filemap.c), so
 * there is nothing to write back; only the checks remain. */
long sys_msync(struct proc *p, uint32_t addr, uint32_t len, int flags)
{
	if ((addr & (PAGE - 1)) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	uint32_t end = addr + PAGE_UP(len);
	if (end < addr)
		return -ENOMEM;
	for (uint32_t at = addr; at < end; ) {
		struct vma *v = vma_find(p->mm, at);
		if (!v)
			return -ENOMEM;         /* a hole, as Linux says */
		at = v->end;
	}
	return 0;
}

/* The old i386 mmap (90): one pointer to its six arguments, the offset in
 * bytes, which must be a whole number of pages. */
long sys_old_mmap(struct proc *p, uint32_t uargs)
{
	uint32_t a[6];
	if (copy_from_user(p, a, uargs, sizeof a))
		return -EFAULT;
	if (a[5] & (PAGE - 1))
		return -EINVAL;
	return sys_mmap2(p, a[0], a[1], a[2], a[3], a[4], a[5] / PAGE);
}
