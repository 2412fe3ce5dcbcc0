/*
 * The kmap window: KMAP_SLOTS page-sized slots at KMAP_START, one page
 * table (in the kernel image, so reachable from the first instruction of
 * paging_init), and a bitmap of the slots in use.  Contract in
 * <kernel/kmap.h>.
 */
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/printk.h>
#include <kernel/x86.h>

static uint32_t window_pt[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t used[KMAP_SLOTS / 32];
static uint32_t slots_used;
static uint32_t direct_end = EARLY_MAP_SIZE;	/* what boot.S maps */

void kmap_init(uint32_t *pgdir)
{
	pgdir[KMAP_START >> 22] = virt_to_phys(window_pt) | PTE_PRESENT | PTE_WRITE;
}

void kmap_set_direct_end(uint32_t end)
{
	direct_end = end;
}

void *kmap(uint32_t phys)
{
	if (phys % PAGE_SIZE)
		panic("kmap(%08x): not a page address", phys);
	if (phys < direct_end)
		return phys_to_virt(phys);
	/* No interrupt handler maps pages, but the bitmap is cheap to guard. */
	uint32_t flags = irq_save();
	for (uint32_t w = 0; w < KMAP_SLOTS / 32; w++) {
		if (used[w] == 0xFFFFFFFFu)
			continue;
		uint32_t bit = (uint32_t)__builtin_ctz(~used[w]);
		uint32_t slot = w * 32 + bit;
		used[w] |= 1u << bit;
		slots_used++;
		irq_restore(flags);
		window_pt[slot] = phys | PTE_PRESENT | PTE_WRITE;
		return (void *)(uintptr_t)(KMAP_START + slot * PAGE_SIZE);
	}
	panic("kmap(%08x): all %u window slots are in use", phys, KMAP_SLOTS);
}

void kunmap(void *addr)
{
	uint32_t va = (uint32_t)(uintptr_t)addr;
	if (va < KMAP_START)
		return;		/* a direct-mapped page */
	uint32_t slot = (va - KMAP_START) / PAGE_SIZE;
	if (va % PAGE_SIZE || !(used[slot / 32] & (1u << slot % 32)))
		panic("kunmap(%08x): not a kmap slot in use", va);
	window_pt[slot] = 0;
	invlpg(va);
	uint32_t flags = irq_save();
	used[slot / 32] &= ~(1u << slot % 32);
	slots_used--;
	irq_restore(flags);
}

uint32_t kmap_slots_used(void)
{
	return slots_used;
}
