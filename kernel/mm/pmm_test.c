/* Self-tests of the page-frame allocator (kernel/mm/pmm.c). */
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>

extern const char kernel_start[], kernel_end[];

#define N 64

SELFTEST(pmm_alloc_free)
{
	uint32_t before = pmm_free_pages();
	uint32_t pages[N];
	for (int i = 0; i < N; i++) {
		pages[i] = pmm_alloc_page();
		EXPECT(pages[i] != 0);
		EXPECT(pages[i] % PAGE_SIZE == 0);
		EXPECT(pages[i] < pmm_direct_map_end());
	}
	EXPECT(pmm_free_pages() == before - N);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			EXPECT(pages[i] != pages[j]);
	for (int i = 0; i < N; i++)
		pmm_free_page(pages[i]);
	EXPECT(pmm_free_pages() == before);
}

SELFTEST(pmm_pages_are_zeroed)
{
	uint32_t a = pmm_alloc_page();
	EXPECT(a != 0);
	uint8_t *p = phys_to_virt(a);
	for (int i = 0; i < PAGE_SIZE; i++)
		p[i] = 0xA5;
	pmm_free_page(a);
	uint32_t b = pmm_alloc_page();	/* lowest-first: the same frame again */
	EXPECT(b == a);
	p = phys_to_virt(b);
	for (int i = 0; i < PAGE_SIZE; i++)
		EXPECT(p[i] == 0);
	pmm_free_page(b);
}

/* Nothing the kernel or the boot loader still uses may be handed out. */
SELFTEST(pmm_reserved_ranges)
{
	uint32_t kstart = (uint32_t)kernel_start - KERNEL_VIRT;
	uint32_t kend = (uint32_t)kernel_end - KERNEL_VIRT;
	uint32_t before = pmm_free_pages() - pmm_high_free_pages();
	uint32_t n = 0, bad = 0;
	uint32_t first = 0;
	/* Take every free page of low memory, check each, then give them all back. */
	for (;;) {
		uint32_t p = pmm_alloc_page();
		if (!p)
			break;
		if (p < 0x100000 || (p >= kstart && p < kend))
			bad++;
		/* chain the pages through their own first word */
		*(uint32_t *)phys_to_virt(p) = first;
		first = p;
		n++;
	}
	uint32_t left = pmm_free_pages();
	while (first) {
		uint32_t next = *(uint32_t *)phys_to_virt(first);
		pmm_free_page(first);
		first = next;
	}
	EXPECT(n == before);
	EXPECT(left == pmm_high_free_pages());
	EXPECT(pmm_free_pages() == before + left);
	EXPECT(bad == 0);
	EXPECT(pmm_total_pages() >= before);
}

SELFTEST(pmm_refcount)
{
	uint32_t before = pmm_free_pages();
	uint32_t p = pmm_alloc_page();
	EXPECT(p && pmm_page_refs(p) == 1);
	pmm_page_get(p);
	pmm_page_get(p);
	EXPECT(pmm_page_refs(p) == 3);
	pmm_page_put(p);
	pmm_page_put(p);
	EXPECT(pmm_free_pages() == before - 1);	/* still one user */
	pmm_page_put(p);
	EXPECT(pmm_free_pages() == before);
}

/* User pages come from high memory when there is some, and are zeroed
 * there (through kmap); on a machine without, from low memory. */
SELFTEST(pmm_user_pages)
{
	uint32_t before = pmm_free_pages(), high_before = pmm_high_free_pages();
	uint32_t a = pmm_alloc_user_page();
	EXPECT(a != 0);
	if (pmm_high_total_pages()) {
		EXPECT(a >= pmm_direct_map_end());
		EXPECT(pmm_high_free_pages() == high_before - 1);
	} else {
		EXPECT(a < pmm_direct_map_end());
	}
	uint8_t *p = kmap(a);
	for (int i = 0; i < PAGE_SIZE; i++)
		EXPECT(p[i] == 0);
	for (int i = 0; i < PAGE_SIZE; i++)
		p[i] = 0x5A;
	kunmap(p);
	pmm_free_page(a);
	uint32_t b = pmm_alloc_user_page();	/* lowest-first: the same frame, zeroed again */
	EXPECT(b == a);
	p = kmap(b);
	for (int i = 0; i < PAGE_SIZE; i++)
		EXPECT(p[i] == 0);
	kunmap(p);
	pmm_free_page(b);
	EXPECT(pmm_free_pages() == before);
}
