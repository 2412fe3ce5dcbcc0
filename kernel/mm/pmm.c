/*
 * The physical page-frame allocator: one reference count per 4 KiB frame
 * below DIRECT_MAP_SIZE.  0 means free; FRAME_RESERVED marks frames that
 * are not RAM or that the kernel keeps for itself; anything else counts
 * the users of an allocated page (page tables, address spaces sharing it
 * copy-on-write, a file's contents), and the page is freed when the last
 * one lets go.
 *
 * Built from the boot loader's memory map: frames of usable RAM start free,
 * everything else (holes, reserved and ACPI ranges, RAM above what the
 * kernel can direct-map) is never handed out.  Then we take back the frames
 * the kernel and the boot loader are still using: all of the first MiB
 * (BIOS data, VGA memory, option ROMs), the kernel image, and the multiboot
 * information with its modules, which later stages read.
 *
 * Allocation returns the lowest free frame.  That keeps early page tables
 * inside the 16 MiB that boot.S maps, and makes runs reproducible.
 */
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define MAX_FRAMES	(DIRECT_MAP_SIZE / PAGE_SIZE)
#define MAX_MMAP	32
#define LOW_MEMORY_END	0x100000

extern const char kernel_start[], kernel_end[];

#define FRAME_RESERVED	0xFFFF

static uint16_t refcount[MAX_FRAMES];
static uint32_t frames_end;	/* no RAM frame at or above this index */
static uint32_t total_pages, free_pages;
static uint32_t search_hint;	/* no free frame below this index */

static struct multiboot_mmap_entry mmap_copy[MAX_MMAP];
static int mmap_entries;
static uint64_t ram_above_direct_map;	/* usable bytes we cannot map */

static int frame_used(uint32_t f) { return refcount[f] != 0; }
static void set_used(uint32_t f) { refcount[f] = FRAME_RESERVED; }
static void set_free(uint32_t f) { refcount[f] = 0; }

/* Mark the frames overlapping [start, end) in use, if they were free. */
static void reserve_range(uint64_t start, uint64_t end)
{
	uint64_t first = start / PAGE_SIZE;
	uint64_t last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
	for (uint64_t f = first; f < last && f < frames_end; f++)
		if (!frame_used((uint32_t)f)) {
			set_used((uint32_t)f);
			free_pages--;
			total_pages--;
		}
}

/* Mark the frames entirely inside [start, end) free. */
static void release_range(uint64_t start, uint64_t end)
{
	uint64_t first = (start + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t last = end / PAGE_SIZE;
	if (last > MAX_FRAMES) {
		if (end > DIRECT_MAP_SIZE)
			ram_above_direct_map += end - (start > DIRECT_MAP_SIZE ? start : DIRECT_MAP_SIZE);
		last = MAX_FRAMES;
	}
	for (uint64_t f = first; f < last; f++)
		if (frame_used((uint32_t)f)) {
			set_free((uint32_t)f);
			free_pages++;
			total_pages++;
		}
	if (last > frames_end)
		frames_end = (uint32_t)last;
}

/* Boot-loader data must be reachable through the early map until paging_init. */
static void *early_ptr(uint32_t phys, uint32_t len, const char *what)
{
	if ((uint64_t)phys + len > EARLY_MAP_SIZE)
		panic("multiboot %s at %08x+%u lies above the first 16 MiB", what, phys, len);
	return phys_to_virt(phys);
}

static void reserve_boot_data(const struct multiboot_info *mbi)
{
	reserve_range(0, LOW_MEMORY_END);
	reserve_range((uint32_t)kernel_start - KERNEL_VIRT, (uint32_t)kernel_end - KERNEL_VIRT);
	uint32_t mbi_phys = virt_to_phys(mbi);
	reserve_range(mbi_phys, mbi_phys + sizeof *mbi);
	if (mbi->flags & MB_INFO_CMDLINE)
		reserve_range(mbi->cmdline, mbi->cmdline + 1 + strlen(early_ptr(mbi->cmdline, 1, "command line")));
	if (!(mbi->flags & MB_INFO_MODS))
		return;
	uint32_t size = mbi->mods_count * sizeof(struct multiboot_mod);
	const struct multiboot_mod *mods = early_ptr(mbi->mods_addr, size, "module list");
	reserve_range(mbi->mods_addr, mbi->mods_addr + size);
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		if (mods[i].mod_end < mods[i].mod_start || mods[i].mod_end > DIRECT_MAP_SIZE)
			panic("multiboot module %u at %08x-%08x is not in direct-mapped RAM",
			      i, mods[i].mod_start, mods[i].mod_end);
		reserve_range(mods[i].mod_start, mods[i].mod_end);
		if (mods[i].string)
			reserve_range(mods[i].string,
				      mods[i].string + 1 + strlen(early_ptr(mods[i].string, 1, "module name")));
	}
}

void pmm_init(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MB_INFO_MMAP))
		panic("the boot loader gave no memory map (multiboot flag 6)");
	for (uint32_t f = 0; f < MAX_FRAMES; f++)
		set_used(f);	/* reserved until the map says it is RAM */

	const uint8_t *p = early_ptr(mbi->mmap_addr, mbi->mmap_length, "memory map");
	const uint8_t *end = p + mbi->mmap_length;
	while (p < end) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		if (mmap_entries < MAX_MMAP)
			mmap_copy[mmap_entries++] = *e;
		if (e->type == MB_MMAP_AVAILABLE)
			release_range(e->addr, e->addr + e->len);
		p += e->size + sizeof e->size;
	}
	reserve_boot_data(mbi);
	if (free_pages == 0)
		panic("no usable memory in the memory map");
}

uint32_t pmm_alloc_page(void)
{
	for (uint32_t f = search_hint; f < frames_end; f++) {
		if (!frame_used(f)) {
			refcount[f] = 1;
			free_pages--;
			search_hint = f + 1;
			uint32_t phys = f * PAGE_SIZE;
			memset(phys_to_virt(phys), 0, PAGE_SIZE);
			return phys;
		}
	}
	search_hint = frames_end;
	return 0;
}

/* The frame index of an allocated page; panics on anything else (a kernel bug). */
static uint32_t allocated_frame(uint32_t phys, const char *who)
{
	uint32_t f = phys / PAGE_SIZE;
	if (phys % PAGE_SIZE || f >= frames_end || refcount[f] == 0 || refcount[f] == FRAME_RESERVED)
		panic("%s(%08x): not an allocated page", who, phys);
	return f;
}

void pmm_page_get(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_page_get");
	if (refcount[f] == FRAME_RESERVED - 1)
		panic("pmm_page_get(%08x): reference count overflow", phys);
	refcount[f]++;
}

void pmm_page_put(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_page_put");
	if (--refcount[f])
		return;
	free_pages++;
	if (f < search_hint)
		search_hint = f;
}

void pmm_free_page(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_free_page");
	if (refcount[f] != 1)
		panic("pmm_free_page(%08x): page still has %u references", phys, refcount[f]);
	pmm_page_put(phys);
}

uint32_t pmm_page_refs(uint32_t phys)
{
	return refcount[allocated_frame(phys, "pmm_page_refs")];
}

void pmm_release_range(uint32_t start, uint32_t end)
{
	for (uint32_t f = (start + PAGE_SIZE - 1) / PAGE_SIZE; f < end / PAGE_SIZE && f < frames_end; f++)
		if (refcount[f] == FRAME_RESERVED && f * PAGE_SIZE >= LOW_MEMORY_END) {
			refcount[f] = 0;
			free_pages++;
			total_pages++;
			if (f < search_hint)
				search_hint = f;
		}
}

uint32_t pmm_free_pages(void) { return free_pages; }
uint32_t pmm_total_pages(void) { return total_pages; }
uint32_t pmm_direct_map_end(void) { return frames_end * PAGE_SIZE; }

static const char *mmap_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI reclaimable";
	case 4: return "ACPI NVS";
	case 5: return "bad RAM";
	default: return "unknown";
	}
}

void pmm_print_map(void)
{
	printk("memory map (from the boot loader):\n");
	for (int i = 0; i < mmap_entries; i++) {
		const struct multiboot_mmap_entry *e = &mmap_copy[i];
		printk("  %08llx-%08llx %s\n", e->addr, e->addr + e->len - 1, mmap_type_name(e->type));
	}
	printk("kernel image %08x-%08x (%u KiB)\n", (uint32_t)kernel_start, (uint32_t)kernel_end,
	       (uint32_t)(kernel_end - kernel_start) / 1024);
	printk("page allocator: %u pages (%u KiB) managed, %u free\n",
	       total_pages, total_pages * 4, free_pages);
	if (ram_above_direct_map)
		printk("  %llu KiB of RAM above %u MiB is not used\n",
		       ram_above_direct_map / 1024, DIRECT_MAP_SIZE >> 20);
}
