/*
 * mm_bounds.h: the range checks of mmap2, munmap and mprotect at the edges
 * of user space, shared by mm_bounds (the caller's own space, here and on
 * Linux) and altmm_bounds (the same cases through mm_mmap, mm_munmap and
 * mm_mprotect on a new, empty space).
 *
 * Every length or address here is one where a check written as
 * "addr + len > END" or "addr > END - len" wraps around 2^32: a length
 * above 0xC0000000, an address in the kernel half, a range that ends past
 * 4 GiB.  Each case names the result Linux gives; a kernel whose check
 * wraps maps or protects part of the kernel half instead.
 */
#ifndef MM_BOUNDS_H
#define MM_BOUNDS_H

#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

#define RW      (PROT_READ | PROT_WRITE)
#define ANON    (MAP_PRIVATE | MAP_ANONYMOUS)
#define USER_TOP 0xc0000000u

/* The three calls, on whichever space a test works on. */
struct mm_ops {
	const char *name;
	void *(*map)(uint32_t addr, uint32_t len, int prot, int flags);
	int (*unmap)(uint32_t addr, uint32_t len);
	int (*protect)(uint32_t addr, uint32_t len, int prot);
};

struct bounds_case {
	uint32_t addr, len;
	int err;                /* the errno Linux gives; 0: success */
};

/* MAP_FIXED mappings that must be refused (none of them may destroy
 * anything, so they run in the caller's own space too). */
static const struct bounds_case fixed_refused[] = {
	{ 0x10000000, 0xe0000000, ENOMEM },     /* would end at 0xf0000000 */
	{ 0x00000000, 0xfffff000, ENOMEM },     /* all but the last page of 4 GiB */
	{ 0x00000000, 0xffffffff, ENOMEM },     /* rounds up to 4 GiB: 0 */
	{ 0x00000000, 0xc0001000, ENOMEM },     /* one page more than user space */
	{ 0x10000000, 0xb0001000, ENOMEM },     /* ends one page past the top */
	{ 0xbffff000, 0x00002000, ENOMEM },     /* the last user page and the first kernel one */
	{ 0xc0000000, 0x00001000, ENOMEM },     /* the first kernel page */
	{ 0xfffff000, 0x00001000, ENOMEM },     /* the last page of 4 GiB */
	{ 0xfffff000, 0x00002000, ENOMEM },     /* wraps to address 0x1000 */
	{ 0xc0000001, 0x00001000, ENOMEM },     /* unaligned and out of range: the range first */
};

/* munmap: Linux says EINVAL for any range not inside user space. */
static const struct bounds_case unmap_refused[] = {
	{ 0xc0000000, 0x00001000, EINVAL },
	{ 0xbffff000, 0x00002000, EINVAL },
	{ 0x10000000, 0xe0000000, EINVAL },
	{ 0x10000000, 0xffffffff, EINVAL },
	{ 0xfffff000, 0x00001000, EINVAL },
	{ 0xfffff000, 0x00002000, EINVAL },
	{ 0x00000000, 0xc0001000, EINVAL },
	{ 0x40000000, 0x00000000, EINVAL },     /* zero length */
};

/* mprotect: a range that wraps, or reaches past what is mapped, is ENOMEM. */
static const struct bounds_case protect_refused[] = {
	{ 0xfffff000, 0x00002000, ENOMEM },     /* wraps */
	{ 0xfffff000, 0x00001000, ENOMEM },     /* ends at 2^32: wraps to 0 */
	{ 0xc0000000, 0x00001000, ENOMEM },     /* the kernel's first page */
	{ 0x10000000, 0xffffffff, ENOMEM },     /* rounds up to 4 GiB */
	{ 0x10000000, 0xe0000000, ENOMEM },
	{ 0xc0000001, 0x00001000, EINVAL },     /* unaligned: EINVAL comes first */
};

/* With room: the space has a free megabyte somewhere for a hint that is
 * not taken. */
static void check_refusals(const struct mm_ops *ops, int room)
{
	for (unsigned i = 0; i < sizeof fixed_refused / sizeof *fixed_refused; i++) {
		const struct bounds_case *c = &fixed_refused[i];
		errno = 0;
		void *p = ops->map(c->addr, c->len, RW, ANON | MAP_FIXED);
		if (p != MAP_FAILED || errno != c->err)
			check_fail(__FILE__, __LINE__, "%s: MAP_FIXED %#x+%#x: expected errno %d, got %p (errno %d)",
			           ops->name, c->addr, c->len, c->err, p, errno);
		/* The same range as a hint is no error: the hint is not taken.
		 * A length above user space cannot be placed at all; a small
		 * one always can; one in between, if placed, lies in user space. */
		errno = 0;
		p = ops->map(c->addr, c->len, RW, ANON);
		uint32_t a = (uint32_t)p;
		if (p == MAP_FAILED) {
			if (errno != ENOMEM || (room && c->len <= 0x10000000))
				check_fail(__FILE__, __LINE__, "%s: hint %#x+%#x: got errno %d",
				           ops->name, c->addr, c->len, errno);
		} else if (c->len > USER_TOP || a >= USER_TOP || c->len > USER_TOP - a) {
			check_fail(__FILE__, __LINE__, "%s: hint %#x+%#x: mapped at %p", ops->name,
			           c->addr, c->len, p);
		} else {
			CHECK_OK(ops->unmap(a, c->len));
		}
	}
	for (unsigned i = 0; i < sizeof unmap_refused / sizeof *unmap_refused; i++) {
		const struct bounds_case *c = &unmap_refused[i];
		errno = 0;
		int r = ops->unmap(c->addr, c->len);
		if (r != -1 || errno != c->err)
			check_fail(__FILE__, __LINE__, "%s: munmap %#x+%#x: expected errno %d, got %d (errno %d)",
			           ops->name, c->addr, c->len, c->err, r, errno);
	}
	for (unsigned i = 0; i < sizeof protect_refused / sizeof *protect_refused; i++) {
		const struct bounds_case *c = &protect_refused[i];
		errno = 0;
		int r = ops->protect(c->addr, c->len, PROT_READ);
		if (r != -1 || errno != c->err)
			check_fail(__FILE__, __LINE__, "%s: mprotect %#x+%#x: expected errno %d, got %d (errno %d)",
			           ops->name, c->addr, c->len, c->err, r, errno);
	}
	/* A zero length is success before any other check of the range or
	 * of prot (Linux's order); an unaligned address is EINVAL even then. */
	CHECK_EQ(ops->protect(0xfffff000, 0, PROT_READ), 0);
	CHECK_EQ(ops->protect(0xc0000000, 0, 0x1000), 0);
	CHECK_ERR(ops->protect(0xc0000001, 0, PROT_READ), EINVAL);
	/* Both directions of growth at once is EINVAL before anything else. */
	CHECK_ERR(ops->protect(0xc0000001, 0, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL);
}

#endif
