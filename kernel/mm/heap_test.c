/* Self-tests of the kernel heap (kernel/mm/heap.c). */
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/selftest.h>
#include <kernel/string.h>

SELFTEST(heap_basic)
{
	struct heap_stats s0, s1;
	heap_get_stats(&s0);
	char *a = kmalloc(10), *b = kmalloc(100), *c = kmalloc(5000);
	EXPECT(a && b && c);
	EXPECT((uint32_t)a % 16 == 0 && (uint32_t)b % 16 == 0 && (uint32_t)c % 16 == 0);
	EXPECT((uint32_t)a >= HEAP_START && (uint32_t)c + 5000 <= HEAP_END);
	memset(a, 'a', 10);
	memset(b, 'b', 100);
	memset(c, 'c', 5000);
	EXPECT(a[9] == 'a' && b[0] == 'b' && b[99] == 'b' && c[4999] == 'c');
	heap_get_stats(&s1);
	EXPECT(s1.live_blocks == s0.live_blocks + 3);
	heap_check();
	kfree(b);
	kfree(a);
	kfree(c);
	heap_get_stats(&s1);
	EXPECT(s1.live_blocks == s0.live_blocks);
	EXPECT(s1.used_bytes == s0.used_bytes);
	heap_check();
}

SELFTEST(heap_zero_and_reuse)
{
	char *a = kzalloc(64);
	EXPECT(a);
	for (int i = 0; i < 64; i++)
		EXPECT(a[i] == 0);
	kfree(a);
	char *b = kmalloc(64);	/* first fit finds the block just freed */
	EXPECT(b == a);
	kfree(b);
	kfree(0);	/* a no-op */
}

/* Freeing in any order merges neighbours back into one block. */
SELFTEST(heap_coalesce)
{
	struct heap_stats s0, s1;
	enum { N = 40 };
	void *p[N];
	heap_get_stats(&s0);
	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(48 + i * 8);
		EXPECT(p[i]);
	}
	for (int i = 0; i < N; i += 2)
		kfree(p[i]);
	heap_check();
	for (int i = 1; i < N; i += 2)
		kfree(p[i]);
	heap_check();
	heap_get_stats(&s1);
	EXPECT(s1.live_blocks == s0.live_blocks);
	/* After all frees the free space is merged again: no more pieces than before. */
	EXPECT(s1.free_blocks <= s0.free_blocks + 1);
	/* One allocation as large as all of them together fits without growing. */
	uint32_t pages = s1.pages;
	void *big = kmalloc(N * 48);
	EXPECT(big);
	heap_get_stats(&s1);
	EXPECT(s1.pages == pages);
	kfree(big);
}

SELFTEST(heap_large_and_refused)
{
	struct heap_stats s0, s1;
	heap_get_stats(&s0);
	void *big = kmalloc(1 << 20);	/* 1 MiB: the heap grows by 257 pages at most */
	EXPECT(big);
	memset(big, 0x5A, 1 << 20);
	heap_get_stats(&s1);
	EXPECT(s1.pages >= s0.pages);
	EXPECT(s1.pages <= s0.pages + 257);
	kfree(big);
	EXPECT(kmalloc(HEAP_END - HEAP_START) == 0);	/* larger than the region */
	EXPECT(kmalloc((size_t)-1) == 0);
	heap_check();
}
