/*
 * mm_batch: map, unmap and protect ops applied in order to one space.
 * Each op's result is written back (an address, 0, or -errno); the call
 * stops at the first failure and returns how many succeeded, leaving the
 * ops after it alone; the call itself fails only when it is unusable (n
 * above MM_BATCH_MAX: EINVAL; the array unreadable: EFAULT; the space's
 * descriptor: EBADF if not open, EINVAL if not an address space).  On
 * our own space (/proc/self/mm) we can see the effects.
 */
#include "check.h"
#include <altmm.h>
#include <fcntl.h>
#include <sys/mman.h>

#define RW      (PROT_READ | PROT_WRITE)
#define ANON    (MAP_PRIVATE | MAP_ANONYMOUS)
#define A(x)    ((void *)(uintptr_t)(x))

#define UNTOUCHED 0x5a5a5a5a
static struct mm_op many[MM_BATCH_MAX + 1];

static void test_batch(void)
{
	int m, s, p[2];
	struct mm_op ops[] = {
		{ MM_OP_MAP, 0x40000000, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0, UNTOUCHED },
		{ MM_OP_MAP, 0x40000000, PAGE, RW, ANON, -1, 0, UNTOUCHED },    /* hint taken: elsewhere */
		{ MM_OP_PROTECT, 0x40000000, PAGE, PROT_READ, 0, 0, 0, UNTOUCHED },
		{ MM_OP_UNMAP, 0x40001000, PAGE, 0, 0, 0, 0, UNTOUCHED },
		{ MM_OP_MAP, 0, 0, RW, ANON, -1, 0, UNTOUCHED },                /* length 0 */
		{ MM_OP_MAP, 0x48000000, PAGE, RW, ANON | MAP_FIXED, -1, 0, UNTOUCHED },
	};

	CHECK_OK(m = mm_new());
	CHECK_EQ(mm_batch(m, ops, 6), 4);
	CHECK_EQ(ops[0].result, 0x40000000);
	/* An address in an int32_t: one above 2 GiB reads negative; errors are -4095..-1. */
	uint32_t a1 = (uint32_t)ops[1].result;
	CHECK(a1 != 0x40000000 && a1 % PAGE == 0 && a1 >= 0x10000 && a1 < 0xc0000000);
	CHECK_EQ(ops[2].result, 0);
	CHECK_EQ(ops[3].result, 0);
	CHECK_EQ(ops[4].result, -EINVAL);
	CHECK_EQ(ops[5].result, UNTOUCHED);
	/* Their effects: the first page mapped, the second unmapped, the last never done. */
	CHECK(mm_mmap(m, A(0x40000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED);
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x40001000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
	         0x40001000);
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x48000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
	         0x48000000);

	/* Each op's own errors; an unknown op is EINVAL. */
	struct mm_op bad[] = {
		{ MM_OP_UNMAP, 0x40000010, PAGE, 0, 0, 0, 0, UNTOUCHED },
		{ MM_OP_PROTECT, 0x70000000, PAGE, PROT_READ, 0, 0, 0, UNTOUCHED },
		{ 99, 0x40000000, PAGE, 0, 0, 0, 0, UNTOUCHED },
		{ 0, 0x40000000, PAGE, 0, 0, 0, 0, UNTOUCHED },
		{ MM_OP_MAP, 0, PAGE, RW, MAP_SHARED, 9999, 0, UNTOUCHED },
	};
	static const int want[] = { -EINVAL, -ENOMEM, -EINVAL, -EINVAL, -EBADF };
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(mm_batch(m, &bad[i], 1), 0);
		CHECK_EQ(bad[i].result, want[i]);
	}

	/* The call itself: n = 0, n too big, bad pointers, bad descriptors. */
	CHECK_EQ(mm_batch(m, ops, 0), 0);
	CHECK_EQ(mm_batch(m, NULL, 0), 0);
	for (int i = 0; i <= MM_BATCH_MAX; i++)         /* mprotect of length 0: no-ops */
		many[i] = (struct mm_op){ MM_OP_PROTECT, 0x40000000, 0, PROT_READ, 0, 0, 0, UNTOUCHED };
	CHECK_ERR(mm_batch(m, many, MM_BATCH_MAX + 1), EINVAL);
	CHECK_EQ(many[0].result, UNTOUCHED);
	CHECK_EQ(mm_batch(m, many, MM_BATCH_MAX), MM_BATCH_MAX);
	CHECK_EQ(many[MM_BATCH_MAX - 1].result, 0);
	/* An array that becomes unreadable after its first op: that op is
	 * done, and the count says where it stopped. */
	char *pg = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
	CHECK(pg != MAP_FAILED);
	CHECK_OK(munmap(pg + PAGE, PAGE));
	struct mm_op *edge = (struct mm_op *)(pg + PAGE) - 1;
	*edge = (struct mm_op){ MM_OP_MAP, 0x49000000, PAGE, RW, ANON | MAP_FIXED, -1, 0, UNTOUCHED };
	CHECK_EQ(mm_batch(m, edge, 2), 1);
	CHECK_EQ(edge->result, 0x49000000);
	CHECK_OK(munmap(pg, PAGE));
	CHECK_ERR(mm_batch(m, NULL, 1), EFAULT);
	CHECK_ERR(mm_batch(m, (void *)0xc0000000, 1), EFAULT);
	CHECK_OK(pipe(p));
	CHECK_ERR(mm_batch(p[0], ops, 1), EINVAL);
	CHECK_ERR(mm_batch(9999, ops, 1), EBADF);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(m));

	/* On our own space the effects are ours to see. */
	char *x = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
	CHECK(x != MAP_FAILED);
	CHECK_OK(munmap(x, 2 * PAGE));          /* a free range */
	struct mm_op own[] = {
		{ MM_OP_MAP, (uint32_t)x, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0, 0 },
		{ MM_OP_PROTECT, (uint32_t)x, PAGE, PROT_READ, 0, 0, 0, 0 },
		{ MM_OP_UNMAP, (uint32_t)x + PAGE, PAGE, 0, 0, 0, 0, 0 },
	};
	CHECK_OK(s = mm_self());
	CHECK_EQ(mm_batch(s, own, 3), 3);
	CHECK_EQ(probe(x, 0), 0);
	CHECK_EQ(probe(x, 1), SIGSEGV);
	CHECK_EQ(probe(x + PAGE, 0), SIGSEGV);
	CHECK_OK(munmap(x, PAGE));
	CHECK_OK(close(s));
}

int main(void)
{
	require_altmm();
	test_batch();
	return 0;
}
