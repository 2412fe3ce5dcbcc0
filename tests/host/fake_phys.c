/*
 * Fake physical memory for the host build of kernel/mm (see fake.h).
 *
 * The arena is one mapping of FAKE_HIGH_END bytes: physical address p is
 * arena + p.  Only the RAM ranges are readable and writable; the rest
 * (the hole below 1 MiB, the reserved range, everything between low and
 * high memory) is PROT_NONE, so touching it is a crash, not a quiet read.
 * The kernel's frame allocator (kernel/mm/pmm.c, the real one) is booted
 * from a multiboot memory map describing exactly that, with a fake
 * kernel image and a fake initrd module it must keep out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "fake.h"
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/multiboot.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>

static uint8_t *arena;

/* The fake kernel image: 64 KiB between two labels, so kernel_end -
 * kernel_start is its size, as the linker script makes it.  It lives
 * apart from the arena; virt_to_phys places it at FAKE_KERNEL_PHYS. */
#define KIMAGE_SIZE 0x10000
__asm__(".section .rodata\n.balign 4096\n.globl kernel_start\nkernel_start:\n"
	".zero 65536\n.globl kernel_end\nkernel_end:\n.previous");
extern const char kernel_start[], kernel_end[];

struct range { uint32_t start, end; };
static const struct range ram[] = {
	{ 0, 0x9F000 },
	{ 0x100000, FAKE_RESERVED_START },
	{ FAKE_RESERVED_END, FAKE_LOW_RAM_END },
	{ FAKE_HIGH_START, FAKE_HIGH_END },
};
#define NRAM (sizeof ram / sizeof ram[0])

bool fake_is_ram(uint32_t phys)
{
	for (unsigned i = 0; i < NRAM; i++)
		if (phys >= ram[i].start && phys < ram[i].end)
			return true;
	return false;
}

uint8_t *fake_phys(uint32_t phys)
{
	if (!fake_is_ram(phys))
		panic("fake_phys(%08x): not RAM", phys);
	return arena + phys;
}

/* The direct map reaches low memory only: high memory through kmap. */
void *phys_to_virt(uint32_t phys)
{
	if (phys >= FAKE_LOW_RAM_END || !fake_is_ram(phys))
		panic("phys_to_virt(%08x): not direct-mapped RAM", phys);
	return arena + phys;
}

uint32_t virt_to_phys(const void *virt)
{
	const char *p = virt;
	if (p >= kernel_start && p <= kernel_end)
		return FAKE_KERNEL_PHYS + (uint32_t)(p - kernel_start);
	if (!arena || (const uint8_t *)p < arena || (const uint8_t *)p >= arena + FAKE_LOW_RAM_END)
		panic("virt_to_phys(%p): not in the direct map", virt);
	return (uint32_t)((const uint8_t *)p - arena);
}

/* ---- kmap: any RAM page, slots counted ---- */
static uint32_t kmap_used;

void *kmap(uint32_t phys)
{
	if (phys % PAGE_SIZE || !fake_is_ram(phys))
		panic("kmap(%08x): not a page of RAM", phys);
	if (kmap_used == KMAP_SLOTS)
		panic("kmap(%08x): all %u window slots are in use", phys, KMAP_SLOTS);
	kmap_used++;
	return arena + phys;
}

void kunmap(void *addr)
{
	uint8_t *p = addr;
	if (p < arena || p >= arena + FAKE_HIGH_END || (p - arena) % PAGE_SIZE || !kmap_used)
		panic("kunmap(%p): not a kmap'd page", addr);
	kmap_used--;
}

uint32_t fake_kmap_slots(void) { return kmap_used; }

/* ---- the kernel page directory ---- */
static uint32_t kpgdir_phys;
static uint32_t kpgdir_copy[1024];

const uint32_t *kernel_pgdir_entries(void) { return phys_to_virt(kpgdir_phys); }
uint32_t kernel_pgdir_phys(void) { return kpgdir_phys; }

bool fake_kernel_half_intact(const struct mm *mm)
{
	const uint32_t *k = kernel_pgdir_entries();
	for (int i = KERNEL_PDE_FIRST; i < 1024; i++) {
		if (k[i] != kpgdir_copy[i] || (mm && mm->pgdir[i] != k[i]))
			return false;
		if ((k[i] & PTE_PRESENT) && pmm_page_refs(k[i] & PTE_ADDR_MASK) != 1)
			return false;
	}
	return true;
}

/* ---- boot ---- */
void fake_boot(void)
{
	arena = mmap(0, FAKE_HIGH_END, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		perror("fake_boot: mmap");
		exit(2);
	}
	for (unsigned i = 0; i < NRAM; i++)
		if (mprotect(arena + ram[i].start, ram[i].end - ram[i].start, PROT_READ | PROT_WRITE)) {
			perror("fake_boot: mprotect");
			exit(2);
		}
	/* The boot loader's structures, in the first page after 0 (as GRUB
	 * puts them low): the info, the memory map, one module. */
	struct multiboot_info *mbi = (void *)(arena + 0x1000);
	struct multiboot_mmap_entry *e = (void *)(arena + 0x1100);
	struct multiboot_mod *mod = (void *)(arena + 0x1400);
	const struct { uint64_t addr, len; uint32_t type; } map[] = {
		{ 0, 0x9F000, 1 }, { 0x9F000, 0x61000, 2 },
		{ 0x100000, FAKE_RESERVED_START - 0x100000, 1 },
		{ FAKE_RESERVED_START, FAKE_RESERVED_END - FAKE_RESERVED_START, 3 },
		{ FAKE_RESERVED_END, FAKE_LOW_RAM_END - FAKE_RESERVED_END, 1 },
		{ FAKE_HIGH_START, FAKE_HIGH_END - FAKE_HIGH_START, 1 },
	};
	unsigned n = sizeof map / sizeof map[0];
	for (unsigned i = 0; i < n; i++)
		e[i] = (struct multiboot_mmap_entry){ .size = 20, .addr = map[i].addr, .len = map[i].len,
						      .type = map[i].type };
	*mod = (struct multiboot_mod){ .mod_start = FAKE_INITRD_START, .mod_end = FAKE_INITRD_END };
	*mbi = (struct multiboot_info){ .flags = MB_INFO_MMAP | MB_INFO_MODS,
		.mmap_addr = 0x1100, .mmap_length = n * sizeof *e, .mods_count = 1, .mods_addr = 0x1400 };
	pmm_init(mbi);
	pmm_init_high();

	/* The kernel's directory: the direct map's first tables, the heap's,
	 * the kmap window's, each one page table with nothing in it that
	 * matters here, but each a frame that must keep its one reference. */
	kpgdir_phys = pmm_alloc_page();
	uint32_t *k = phys_to_virt(kpgdir_phys);
	const uint32_t pdes[] = { KERNEL_PDE_FIRST, KERNEL_PDE_FIRST + 1, HEAP_START >> 22, KMAP_START >> 22 };
	for (unsigned i = 0; i < sizeof pdes / sizeof pdes[0]; i++)
		k[pdes[i]] = pmm_alloc_page() | PTE_PRESENT | PTE_WRITE;
	memcpy(kpgdir_copy, k, sizeof kpgdir_copy);
	fake_write_cr3(kpgdir_phys);
}

/* ---- holding frames, to run out of memory on purpose ---- */
static uint32_t *hogged;
static uint32_t nhogged;

void fake_pmm_hog(uint32_t leave)
{
	hogged = realloc(hogged, (pmm_free_pages() + 1) * sizeof *hogged);
	while (pmm_free_pages() > leave) {
		uint32_t p = pmm_alloc_user_page();
		if (!p)
			break;
		hogged[nhogged++] = p;
	}
}

void fake_pmm_unhog(void)
{
	while (nhogged)
		pmm_free_page(hogged[--nhogged]);
}
