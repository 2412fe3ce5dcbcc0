/*
 * The physical frame allocator (kernel/mm/pmm.c), booted from the fake
 * multiboot map: what it hands out, what it keeps out, reference counts.
 */
#include "harness.h"
#include <kernel/layout.h>
#include <kernel/pmm.h>

/* Take frames with alloc until it fails or max are taken; how many. */
static uint32_t drain(uint32_t (*alloc)(void), uint32_t *pages, uint32_t max)
{
	uint32_t n = 0;
	while (n < max && (pages[n] = alloc()))
		n++;
	return n;
}

static uint32_t pages[4096];

TEST(pmm_low_frames_are_ram_outside_boot_data)
{
	uint32_t n = drain(pmm_alloc_page, pages, 4096);
	CHECK(n > 1000);
	CHECK_EQ(pmm_alloc_page(), 0);	/* low memory exhausted: 0, no panic */
	bool ok = true;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = pages[i];
		if (p < 0x100000 || p >= FAKE_LOW_RAM_END || !fake_is_ram(p) ||
		    (p >= FAKE_KERNEL_PHYS && p < FAKE_KERNEL_PHYS + 0x10000) ||
		    (p >= FAKE_INITRD_START && p < FAKE_INITRD_END) || (i && p <= pages[i - 1]))
			ok = false;
		if (pmm_page_refs(p) != 1 || fake_phys(p)[0] || fake_phys(p)[PAGE_SIZE - 1])
			ok = false;
	}
	CHECK(ok);	/* lowest first, RAM only, never the kernel, the module or the hole; zeroed */
	for (uint32_t i = 0; i < n; i++)
		pmm_free_page(pages[i]);
}

TEST(pmm_user_pages_prefer_high_memory)
{
	uint32_t high = pmm_high_free_pages();
	CHECK_EQ(high, (FAKE_HIGH_END - FAKE_HIGH_START) / PAGE_SIZE);
	uint32_t n = drain(pmm_alloc_user_page, pages, high);
	CHECK_EQ(n, high);
	CHECK(pages[0] >= FAKE_HIGH_START && pages[n - 1] < FAKE_HIGH_END);
	CHECK_EQ(pmm_high_free_pages(), 0);
	uint32_t low = pmm_alloc_user_page();	/* then low memory */
	CHECK(low >= 0x100000 && low < FAKE_LOW_RAM_END);
	pmm_free_page(low);
	for (uint32_t i = 0; i < n; i++)
		pmm_free_page(pages[i]);
	CHECK_EQ(pmm_high_free_pages(), high);
}

TEST(pmm_lowest_free_frame_again)
{
	uint32_t a = pmm_alloc_page(), b = pmm_alloc_page();
	CHECK(b > a);
	fake_phys(a)[7] = 0x55;
	pmm_free_page(a);
	uint32_t c = pmm_alloc_page();
	CHECK_EQ(c, a);
	CHECK_EQ(fake_phys(c)[7], 0);	/* zeroed again */
	pmm_free_page(b);
	pmm_free_page(c);
}

TEST(pmm_reference_counts)
{
	uint32_t p = pmm_alloc_user_page();
	uint32_t free = pmm_free_pages();
	pmm_page_get(p);
	pmm_page_get(p);
	CHECK_EQ(pmm_page_refs(p), 3);
	CHECK(expect_panic(pmm_free_page(p)));	/* still shared: a kernel bug */
	pmm_page_put(p);
	pmm_page_put(p);
	CHECK_EQ(pmm_free_pages(), free);
	pmm_page_put(p);
	CHECK_EQ(pmm_free_pages(), free + 1);
	CHECK(expect_panic(pmm_page_put(p)));	/* double free */
	CHECK(expect_panic(pmm_page_get(p)));
}

TEST(pmm_refuses_frames_it_does_not_own)
{
	CHECK(expect_panic(pmm_page_put(FAKE_KERNEL_PHYS)));	/* the kernel image */
	CHECK(expect_panic(pmm_page_put(FAKE_RESERVED_START)));	/* not RAM */
	CHECK(expect_panic(pmm_page_put(0xA0000)));		/* the hole under 1 MiB */
	CHECK(expect_panic(pmm_page_put(0x20000000)));		/* no RAM at all there */
	CHECK(expect_panic(pmm_page_put(0xC0000000)));		/* the kernel half's "phys" */
	CHECK(expect_panic(pmm_page_put(0x100000 + 1)));	/* not page-aligned */
}

TEST(pmm_release_range_hands_back_boot_data)
{
	uint32_t free = pmm_free_pages();
	pmm_release_range(FAKE_INITRD_START, FAKE_INITRD_END);
	CHECK_EQ(pmm_free_pages(), free + (FAKE_INITRD_END - FAKE_INITRD_START) / PAGE_SIZE);
	pmm_release_range(0, 0x100000);		/* never the first MiB */
	/* Never a hole of the memory map (a module's range, as a boot loader
	 * gives it, may span one: this released the 16 frames of the reserved
	 * range), never the kernel image, and a start in the last page does
	 * not wrap round to 0 (it released every reserved frame above 1 MiB,
	 * the kernel's own included). */
	pmm_release_range(FAKE_RESERVED_START, FAKE_RESERVED_END);
	pmm_release_range(FAKE_KERNEL_PHYS, FAKE_KERNEL_PHYS + 0x10000);
	pmm_release_range(0xFFFFF001, 0xFFFFFFFF);
	pmm_release_range(0x100000, 0xFFFFFFFF);
	CHECK_EQ(pmm_free_pages(), free + (FAKE_INITRD_END - FAKE_INITRD_START) / PAGE_SIZE);
	/* The harness counts free frames around each test: take the module's
	 * frames again, for good (they are RAM nobody else wants). */
	uint32_t n = 0;
	for (; pmm_free_pages() > free; n++)
		CHECK(pmm_alloc_page() != 0);
	CHECK_EQ(n, (FAKE_INITRD_END - FAKE_INITRD_START) / PAGE_SIZE);
}
