/*
 * The argument rules of mmap's type and huge pages, mremap and madvise, as
 * Linux 6.1 checks them and in its order, for the kernel (kernel/mm/mmap.c,
 * mmap_syscalls.c, mremap.c, madvise.c) and the guest kernel
 * (uml-guest/sys_mm.c, sys_remap.c): static inline functions on plain
 * numbers, so both give the same error for the same call.  What each does
 * with its address space is its own.
 */
#ifndef LIB_MM_RULES_H
#define LIB_MM_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define MM_RULES_PAGE 4096u

static inline uint32_t mm_rules_page_up(uint32_t a)   /* wraps to 0, as PAGE_ALIGN */
{
	return (a + MM_RULES_PAGE - 1) & ~(MM_RULES_PAGE - 1);
}

/* mremap's first checks: the flags, their combinations, the alignment of
 * addr.  0 or -EINVAL.  (The lengths are rounded next; a new length that
 * rounds to 0 is EINVAL too.) */
static inline long mremap_check_flags(uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags)
{
	if (flags & ~(uint32_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* MREMAP_DONTUNMAP always moves, and never resizes. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (MM_RULES_PAGE - 1))
		return -EINVAL;
	return 0;
}

/* mremap to a given place (MREMAP_FIXED or the hint of DONTUNMAP): the new
 * range must be aligned, below top, and apart from the old one.  0 or
 * -EINVAL. */
static inline long mremap_check_target(uint32_t addr, uint32_t old_len, uint32_t new_addr, uint32_t new_len,
                                       uint32_t top)
{
	if (new_addr & (MM_RULES_PAGE - 1))
		return -EINVAL;
	if (new_len > top || new_addr > top - new_len)
		return -EINVAL;
	if ((uint64_t)addr + old_len > new_addr && (uint64_t)new_addr + new_len > addr)
		return -EINVAL;                 /* the ranges overlap */
	return 0;
}

/* The advice Debian's Linux 6.1 on i386 knows: 5, 6, 7 and 25 on are
 * EINVAL (MADV_COLLAPSE among them: no transparent huge pages); 100 and
 * 101, memory-failure injection, are not offered. */
static inline bool madvise_advice_valid(uint32_t advice)
{
	return advice <= MADV_DONTNEED || (advice >= MADV_FREE && advice <= MADV_DONTNEED_LOCKED);
}

/* madvise's checks before it looks at the areas: -EINVAL, 1 for an empty
 * range (success, nothing to do), or 0 with *end set. */
static inline long madvise_check(uint32_t addr, uint32_t len, uint32_t advice, uint32_t *end)
{
	if (!madvise_advice_valid(advice))
		return -EINVAL;
	if (addr & (MM_RULES_PAGE - 1))
		return -EINVAL;
	uint32_t rounded = mm_rules_page_up(len);
	if (len && !rounded)
		return -EINVAL;                 /* rounded up from near 2^32 to 0 */
	*end = addr + rounded;
	if (*end < addr)
		return -EINVAL;
	return *end == addr ? 1 : 0;
}

/* The flags MAP_SHARED_VALIDATE accepts on a file (Linux's
 * LEGACY_MAP_MASK, no file here adding MAP_SYNC): MAP_FIXED_NOREPLACE,
 * newer than the mask, is not among them. */
#define MMAP_UNINITIALIZED      0x4000000
#define MMAP_VALIDATE_KNOWN     (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_DENYWRITE | \
				 MAP_EXECUTABLE | MMAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | \
				 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* mmap's type, once the length and the address are checked: memory may be
 * MAP_SHARED or MAP_PRIVATE, a file MAP_SHARED_VALIDATE too, which
 * refuses flags it does not know (EOPNOTSUPP).  0 or -errno. */
static inline long mmap_check_type(uint32_t flags, bool file)
{
	uint32_t type = flags & MAP_TYPE;
	if (type != MAP_SHARED && type != MAP_PRIVATE && !(file && type == MAP_SHARED_VALIDATE))
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~(uint32_t)MMAP_VALIDATE_KNOWN))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * MAP_HUGETLB.  On a file it is EINVAL at once (the file is not on
 * hugetlbfs), before any other check but the descriptor's.  Anonymous, Linux
 * makes a hugetlbfs file for it and maps that; Debian's i386 kernel has
 * 4 MiB huge pages, and none reserved, so the mapping ends in ENOMEM, but
 * only after the checks, which see 4 MiB pages:
 *   a page size asked for in bits 26..31 other than 4 MiB       EINVAL
 *   the length rounded up to 4 MiB, 0 (or wrapped to 0)         EINVAL
 *   the offset (EOVERFLOW), a length past the top (ENOMEM)
 *   a fixed address: not 4 MiB aligned (EINVAL), then past the top (ENOMEM),
 *   then MAP_FIXED_NOREPLACE over a mapping (EEXIST: range_free false)
 *   the type (a hugetlbfs file takes MAP_SHARED_VALIDATE)
 * and then ENOMEM: this kernel has no huge pages either.
 */
#define MMAP_HUGE_SHIFT_4M      22
static inline long mmap_hugetlb_anon(uint32_t addr, uint32_t len, uint32_t flags, uint32_t pgoff, uint32_t top,
				     bool (*range_free)(void *ctx, uint32_t start, uint32_t end), void *ctx)
{
	const uint32_t huge = 1u << MMAP_HUGE_SHIFT_4M;
	uint32_t shift = (flags >> 26) & 0x3f;
	if (shift && shift != MMAP_HUGE_SHIFT_4M)
		return -EINVAL;
	len = (len + huge - 1) & ~(huge - 1);
	if (!len)
		return -EINVAL;
	if (pgoff + (len >> 12) < pgoff)
		return -EOVERFLOW;
	if (len > top)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (huge - 1))
			return -EINVAL;
		if (addr > top - len)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(ctx, addr, addr + len))
			return -EEXIST;
	}
	long err = mmap_check_type(flags, true);
	return err ? err : -ENOMEM;
}

#endif
