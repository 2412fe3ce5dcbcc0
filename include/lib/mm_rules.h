/*
 * The argument rules of mremap and madvise, as Linux 6.1 checks them and
 * in its order, for the kernel (kernel/mm/mremap.c, madvise.c) and the
 * guest kernel (uml-guest/sys_remap.c): static inline functions on plain
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

#endif
