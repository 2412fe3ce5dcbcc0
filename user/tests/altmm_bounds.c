/*
 * The range checks of mm_mmap, mm_munmap and mm_mprotect on a new, empty
 * space (the cases are in mm_bounds.h, shared with mm_bounds): the same
 * code as mmap2, munmap and mprotect, so the same errors, and nothing may
 * reach the kernel half of the space.  An empty space has no stack to
 * lose, so here the mappings that succeed at the very edges run too, and
 * the space is then destroyed (close), which walks all of it.
 */
#include "mm_bounds.h"
#include <altmm.h>

static int space = -1;

static void *space_map(uint32_t addr, uint32_t len, int prot, int flags)
{
	return mm_mmap(space, (void *)addr, len, prot, flags, -1, 0);
}

static int space_unmap(uint32_t addr, uint32_t len)
{
	return mm_munmap(space, (void *)addr, len);
}

static int space_protect(uint32_t addr, uint32_t len, int prot)
{
	return mm_mprotect(space, (void *)addr, len, prot);
}

static const struct mm_ops space_ops = { "new space", space_map, space_unmap, space_protect };

int main(void)
{
	require_altmm();
	CHECK_OK(space = mm_new());
	check_refusals(&space_ops, 1);

	/* All of user space, from 0 to the top, in one mapping. */
	CHECK_EQ((uint32_t)space_map(0, USER_TOP, RW, ANON | MAP_FIXED), 0);
	CHECK(space_map(0x10000000, 0x1000, RW, ANON) == MAP_FAILED);   /* no room left */
	CHECK_EQ(errno, ENOMEM);
	check_refusals(&space_ops, 0);
	CHECK_OK(space_protect(0, USER_TOP, PROT_READ));
	CHECK_OK(space_protect(0xbffff000, 0x1000, PROT_NONE));
	CHECK_OK(space_unmap(0, USER_TOP));
	CHECK_EQ((uint32_t)space_map(0xbffff000, 0x1000, RW, ANON | MAP_FIXED), 0xbffff000);
	CHECK_EQ((uint32_t)space_map(0x10000000, 0xb0000000 - 0x1000, RW, ANON | MAP_FIXED), 0x10000000);
	CHECK_OK(close(space));

	/* The same, destroyed while fully mapped. */
	CHECK_OK(space = mm_new());
	CHECK_EQ((uint32_t)space_map(0, USER_TOP, RW, ANON | MAP_FIXED), 0);
	CHECK_OK(close(space));
	return 0;
}
