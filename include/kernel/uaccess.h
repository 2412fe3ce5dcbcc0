/*
 * Access to user memory from the kernel (kernel/mm/uaccess.c).
 *
 * Every pointer a system call receives from user space goes through these.
 * They check that the range lies in user space (below KERNEL_VIRT) and copy
 * with page faults caught: a fault the current address space cannot resolve
 * (nothing mapped, or a write to a read-only page) makes the copy return
 * -EFAULT instead of crashing the kernel.  Nothing else in the kernel may
 * dereference a user pointer.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/* 0 on success, -EFAULT if any byte could not be copied. */
int copy_from_user(void *dst, const void *user_src, size_t n);
int copy_to_user(void *user_dst, const void *src, size_t n);
int clear_user(void *user_dst, size_t n);

/*
 * Copy a NUL-terminated string of at most max-1 characters into dst.
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL is found in
 * max bytes (dst is then not terminated).
 */
int strncpy_from_user(char *dst, const char *user_src, size_t max);

/* True when [addr, addr+n) lies entirely in user space. */
static inline int user_range_ok(const void *addr, size_t n)
{
	uint32_t a = (uint32_t)addr;
	return a + n >= a && a + n <= 0xC0000000u;
}

#endif
