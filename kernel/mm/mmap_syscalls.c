/*
 * mmap2, mmap, munmap, mprotect, mremap, madvise, mincore, brk and msync: the calls of
 * mmap.c applied to the caller's own address space, with the backing
 * named by a descriptor.
 */
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include <lib/mm_rules.h>
#include <uapi/stat.h>
#include "pte.h"

static bool range_free(void *mm, uint32_t start, uint32_t end) { return vma_range_free(mm, start, end); }

/* Anonymous memory, private or shared (type checked by mm_map_check). */
static long map_anon(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags)
{
	if ((flags & MAP_TYPE) == MAP_PRIVATE)
		return mm_map(mm, addr, len, prot, flags, 0, 0);
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	/* Shared anonymous memory needs pages both sides of a fork can find. */
	struct inode *shm;
	long r = vfs_shmem_create(PAGE_UP(len), &shm);
	if (r)
		return r;
	r = mm_map(mm, addr, len, prot, flags, shm, 0);
	inode_put(shm);
	return r;
}

/* A file, in do_mmap's order: a shared writable mapping needs a file open
 * for writing, every mapping one open for reading (EACCES); then the file
 * must be one that maps (ENODEV), and no file mapping grows (EINVAL).
 * (O_APPEND does not matter: Linux looks at the inode's append-only
 * attribute, which no file here has.) */
static long map_file(struct mm *mm, struct file *f, uint32_t addr, uint32_t len, uint32_t prot,
		     uint32_t flags, uint32_t pgoff)
{
	uint32_t acc = f->flags & O_ACCMODE;
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	if (shared && (prot & PROT_WRITE) && acc == O_RDONLY)
		return -EACCES;
	if (acc == O_WRONLY)
		return -EACCES;
	if (inode_is_dev_zero(f->inode))
		return map_anon(mm, addr, len, prot, flags | MAP_ANONYMOUS);
	if (!inode_mappable(f->inode))
		return -ENODEV;	/* a directory, a device, an address space... */
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	/* A shared mapping of a read-only file: mprotect will refuse PROT_WRITE. */
	return mm_map(mm, addr, len, prot, flags | (shared && acc != O_RDWR ? MM_MAP_NO_MAYWRITE : 0),
		      f->inode, pgoff);
}

long mm_map_fd(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd,
	       uint32_t pgoff)
{
	flags &= ~MM_MAP_NO_MAYWRITE;	/* the kernel's own bit, never the caller's */
	bool anon = flags & MAP_ANONYMOUS;
	struct file *f = anon ? 0 : fd_get(fd);
	if (!anon && !f)
		return -EBADF;		/* the descriptor first, as Linux */
	long r;
	if (flags & MAP_HUGETLB) {	/* no file is on hugetlbfs, and there are no huge pages */
		r = anon ? mmap_hugetlb_anon(addr, len, flags, pgoff, USER_END, range_free, mm) : -EINVAL;
		if (f)
			file_put(f);
		return r;
	}
	r = mm_map_check(mm, addr, len, prot, flags, !anon, pgoff);
	if (!mm_is_err(r))
		r = anon ? map_anon(mm, addr, len, prot, flags) : map_file(mm, f, addr, len, prot, flags, pgoff);
	if (f)
		file_put(f);
	return r;
}

/* Linux's mmap ignores protection bits it does not know (altmm's mm_mmap,
 * which shares mm_map_fd, refuses them). */
#define PROT_KNOWN	(PROT_READ | PROT_WRITE | PROT_EXEC)

static long sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint32_t pgoff)
{
	return mm_map_fd(current->mm, addr, len, prot & PROT_KNOWN, flags, fd, pgoff);
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
	return mm_map_fd(current->mm, a[0], a[1], a[2] & PROT_KNOWN, a[3], (int)a[4], a[5] >> PAGE_SHIFT);
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

static long sys_mremap(uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags,
		       uint32_t new_addr)
{
	return mm_remap(current->mm, addr, old_len, new_len, flags, new_addr);
}
SYSCALL(mremap, sys_mremap);

static long sys_madvise(uint32_t addr, uint32_t len, uint32_t advice)
{
	return mm_advise(current->mm, addr, len, advice);
}
SYSCALL(madvise, sys_madvise);

/* mincore: a page of answers at a time, as Linux's (which checks that the
 * whole vector lies in user space first: EFAULT). */
static long sys_mincore(uint32_t addr, uint32_t len, uint8_t __user *uvec)
{
	uint32_t pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (addr > USER_END || len > USER_END - addr)
		return -ENOMEM;
	if ((uint32_t)uvec > USER_END || pages > USER_END - (uint32_t)uvec)
		return -EFAULT;
	uint8_t *buf = kmalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	long err = 0;
	for (uint32_t at = 0; at < pages && !err;) {
		uint32_t n = pages - at < PAGE_SIZE ? pages - at : PAGE_SIZE, done;
		err = mm_mincore(current->mm, addr + at * PAGE_SIZE, n * PAGE_SIZE, buf, &done);
		if (done && copy_to_user(uvec + at, buf, done))
			err = -EFAULT;
		at += n;
	}
	kfree(buf);
	return err;
}
SYSCALL(mincore, sys_mincore);

static long sys_brk(uint32_t want)
{
	return mm_brk(current->mm, want);
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
