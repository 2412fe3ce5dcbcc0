/*
 * Copies between the kernel and user memory (contract in <kernel/uaccess.h>).
 *
 * The range check keeps user pointers out of the kernel half.  Inside the
 * user half, the copy itself finds out what is mapped: a page that is not
 * there yet faults and the fault handler maps it as it would for the
 * program; a page that cannot be mapped (or written) makes the handler
 * resume at the copy routine's fixup, and the copy reports -EFAULT.
 */
#include <kernel/layout.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <stdbool.h>
#include <uapi/errno.h>

/* kernel/arch/x86/uaccess_copy.S: returns the bytes it could not copy. */
uint32_t uaccess_copy(void *dst, const void *src, size_t n);

int copy_from_user(void *dst, const void *user_src, size_t n)
{
	if (!user_range_ok(user_src, n))
		return -EFAULT;
	return uaccess_copy(dst, user_src, n) ? -EFAULT : 0;
}

int copy_to_user(void *user_dst, const void *src, size_t n)
{
	if (!user_range_ok(user_dst, n))
		return -EFAULT;
	return uaccess_copy(user_dst, src, n) ? -EFAULT : 0;
}

int clear_user(void *user_dst, size_t n)
{
	static const uint8_t zeros[256];
	uint8_t *d = user_dst;
	while (n) {
		size_t chunk = n < sizeof zeros ? n : sizeof zeros;
		if (copy_to_user(d, zeros, chunk))
			return -EFAULT;
		d += chunk;
		n -= chunk;
	}
	return 0;
}

int strncpy_from_user(char *dst, const char *user_src, size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* Copy up to the end of the source page: what lies beyond may not exist. */
		uint32_t addr = (uint32_t)(uintptr_t)user_src + done;
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (copy_from_user(dst + done, (const char *)(uintptr_t)addr, chunk))
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (dst[done + i] == '\0')
				return (int)(done + i);
		done += chunk;
	}
	return -ENAMETOOLONG;
}
