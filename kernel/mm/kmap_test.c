/* Self-tests of the kmap window (kernel/mm/kmap.c). */
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>

/* A direct-mapped page needs no slot: kmap gives its direct address. */
SELFTEST(kmap_low_page)
{
	uint32_t phys = pmm_alloc_page();
	EXPECT(phys != 0);
	uint32_t slots = kmap_slots_used();
	void *p = kmap(phys);
	EXPECT(p == phys_to_virt(phys));
	EXPECT(kmap_slots_used() == slots);
	kunmap(p);
	pmm_free_page(phys);
}

/* Any page through the window: each mapping gets its own slot, two
 * mappings of one page see the same bytes, and unmapping frees the slot
 * and the address (it faults no more through a stale TLB entry: the
 * next kmap of another page there reads that page). */
static void window_of(uint32_t a, uint32_t b)
{
	uint32_t slots = kmap_slots_used();
	uint32_t *pa = kmap(a), *pa2 = kmap(a), *pb = kmap(b);
	bool high_a = a >= pmm_direct_map_end(), high_b = b >= pmm_direct_map_end();
	EXPECT(kmap_slots_used() == slots + 2 * high_a + high_b);
	if (high_a)
		EXPECT((uint32_t)pa >= KMAP_START && pa != pa2);
	pa[0] = 0x1234;
	EXPECT(pa2[0] == 0x1234);
	pb[0] = 0x5678;
	kunmap(pa2);
	kunmap(pa);
	kunmap(pb);
	EXPECT(kmap_slots_used() == slots);
	uint32_t *again = kmap(b);
	EXPECT(again[0] == 0x5678);
	kunmap(again);
	again = kmap(a);
	EXPECT(again[0] == 0x1234);
	kunmap(again);
}

SELFTEST(kmap_window)
{
	uint32_t before = pmm_free_pages();
	uint32_t a = pmm_alloc_user_page(), b = pmm_alloc_user_page();
	EXPECT(a && b);
	window_of(a, b);
	pmm_free_page(a);
	pmm_free_page(b);
	EXPECT(pmm_free_pages() == before);
}
