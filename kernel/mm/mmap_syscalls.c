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
#include <uapi/stat.h>
#include "pte.h"

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
