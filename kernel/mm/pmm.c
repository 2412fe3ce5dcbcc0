/*
 * The physical page-frame allocator: one reference count per 4 KiB frame
 * of the 4 GiB physical address space.  0 means free; FRAME_RESERVED
 * marks frames that are not RAM or that the kernel keeps for itself;
 * anything else counts the users of an allocated page (page tables,
 * address spaces sharing it copy-on-write, a file's contents), and the
 * page is freed when the last one lets go.
 *
 * RAM comes in two zones.  Low memory, below DIRECT_MAP_SIZE (768 MiB),
 * is direct-mapped: the kernel reaches it at KERNEL_VIRT + phys, so its
 * own data (page tables, the heap, pipe buffers) lives there.  High
 * memory, above, is reached only through the kmap window, so it holds
 * user and file pages (pmm_alloc_user_page), which the kernel touches
 * now and then.  RAM above 4 GiB would need PAE: it is not used.
 *
 * Built from the boot loader's memory map: frames of usable RAM start free,
 * everything else (holes, reserved and ACPI ranges) is never handed out.
 * Then we take back the frames the kernel and the boot loader are still
 * using: all of the first MiB (BIOS data, VGA memory, option ROMs), the
 * kernel image, and the multiboot information with its modules, which
 * later stages read.
 *
 * The reference counts of low memory are an array in the kernel image;
 * those of high memory, which most machines do not have, live in pages
 * taken from low memory once paging is on (pmm_init_high), one page per
 * 2048 frames, only for the 4 MiB blocks that hold RAM.
 *
 * Allocation returns the lowest free frame of its zone, which makes runs
 * reproducible.
 */
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <stdbool.h>

#define MAX_FRAMES	(1u << 20)			/* 4 GiB of 4 KiB frames */
#define LOW_FRAMES	(DIRECT_MAP_SIZE / PAGE_SIZE)
#define COUNTS_PER_PAGE	(PAGE_SIZE / sizeof(uint16_t))
#define HIGH_TABLES	((MAX_FRAMES - LOW_FRAMES) / COUNTS_PER_PAGE)
#define MAX_MMAP	32
#define LOW_MEMORY_END	0x100000

extern const char kernel_start[], kernel_end[];

#define FRAME_RESERVED	0xFFFF

static uint16_t low_counts[LOW_FRAMES];
static uint16_t *high_counts[HIGH_TABLES];	/* NULL: no RAM in those 2048 frames */
static uint32_t frames_end;	/* no RAM frame at or above this index */

/* A zone: frames [first, end), how many are RAM the allocator manages,
 * how many of those are free, and no free frame below hint. */
struct zone {
	const char *name;
	uint32_t first, end;
	uint32_t total, free;
	uint32_t hint;
};
static struct zone zones[2] = {
	{ .name = "low", .first = 0, .end = LOW_FRAMES },
	{ .name = "high", .first = LOW_FRAMES, .end = MAX_FRAMES, .hint = LOW_FRAMES },
};
#define LOW	(&zones[0])
#define HIGH	(&zones[1])

static struct multiboot_mmap_entry mmap_copy[MAX_MMAP];
static int mmap_entries;
static uint64_t ram_above_4g;	/* usable bytes no 32-bit address reaches */

static struct zone *zone_of(uint32_t f) { return f < LOW_FRAMES ? LOW : HIGH; }

/* The reference count of frame f, which must be below frames_end and, if
 * high, in a block that has a table. */
static inline uint16_t *count(uint32_t f)
{
	if (f < LOW_FRAMES)
		return &low_counts[f];
	f -= LOW_FRAMES;
	return &high_counts[f / COUNTS_PER_PAGE][f % COUNTS_PER_PAGE];
}
#define refcount(f)	(*count(f))

/* Does frame f have a reference count (is it in a block that holds RAM)? */
static bool has_count(uint32_t f)
{
	return f < frames_end && (f < LOW_FRAMES || high_counts[(f - LOW_FRAMES) / COUNTS_PER_PAGE]);
}

static int frame_used(uint32_t f) { return refcount(f) != 0; }

/* Mark the low frames overlapping [start, end) in use, if they were free
 * (the boot data; high memory holds none that the kernel keeps). */
static void reserve_range(uint64_t start, uint64_t end)
{
	uint64_t first = start / PAGE_SIZE;
	uint64_t last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
	for (uint64_t f = first; f < last && f < LOW->end; f++)
		if (!frame_used((uint32_t)f)) {
			refcount(f) = FRAME_RESERVED;
			zone_of((uint32_t)f)->free--;
			zone_of((uint32_t)f)->total--;
		}
}

/* The frames entirely inside the memory map's RAM range [start, end),
 * clipped to 4 GiB: [*first, *last). */
static void ram_frames(uint64_t start, uint64_t end, uint32_t *first, uint32_t *last)
{
	uint64_t f = (start + PAGE_SIZE - 1) / PAGE_SIZE, l = end / PAGE_SIZE;
	*first = (uint32_t)(f < MAX_FRAMES ? f : MAX_FRAMES);
	*last = (uint32_t)(l < MAX_FRAMES ? l : MAX_FRAMES);
}

/* Mark the frames of [first, last) that lie in zone z free. */
static void release_frames(struct zone *z, uint32_t first, uint32_t last)
{
	if (first < z->first)
		first = z->first;
	for (uint32_t f = first; f < last && f < z->end; f++)
		if (frame_used(f)) {
			refcount(f) = 0;
			z->free++;
			z->total++;
		}
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
	reserve_range(virt_to_phys(kernel_start), virt_to_phys(kernel_end));
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
		/* A module the kernel cannot use is refused later (load_initrd)
		 * with a message; its memory is kept out of the way until then. */
		if (mods[i].mod_end >= mods[i].mod_start)
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
	for (uint32_t f = 0; f < LOW_FRAMES; f++)
		low_counts[f] = FRAME_RESERVED;	/* reserved until the map says it is RAM */

	const uint8_t *p = early_ptr(mbi->mmap_addr, mbi->mmap_length, "memory map");
	const uint8_t *end = p + mbi->mmap_length;
	for (; p < end; p += ((const struct multiboot_mmap_entry *)p)->size + 4) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		if (mmap_entries == MAX_MMAP) {
			printk("memory map: more than %d entries; the rest are ignored\n", MAX_MMAP);
			break;
		}
		mmap_copy[mmap_entries++] = *e;
		if (e->type != MB_MMAP_AVAILABLE)
			continue;
		if (e->addr + e->len > 0x100000000ull)
			ram_above_4g += e->addr + e->len - (e->addr > 0x100000000ull ? e->addr : 0x100000000ull);
		uint32_t first, last;
		ram_frames(e->addr, e->addr + e->len, &first, &last);
		if (last > frames_end)
			frames_end = last;
		release_frames(LOW, first, last);
	}
	if (LOW->end > frames_end)
		LOW->end = frames_end;
	HIGH->end = LOW_FRAMES;		/* none until pmm_init_high */
	reserve_boot_data(mbi);
	if (LOW->free == 0)
		panic("no usable low memory in the memory map");
}

void pmm_init_high(void)
{
	if (frames_end > LOW_FRAMES)
		HIGH->end = frames_end;
	for (int i = 0; i < mmap_entries; i++) {
		const struct multiboot_mmap_entry *e = &mmap_copy[i];
		uint32_t first, last;
		ram_frames(e->addr, e->addr + e->len, &first, &last);
		if (e->type != MB_MMAP_AVAILABLE || last <= LOW_FRAMES)
			continue;
		if (first < LOW_FRAMES)
			first = LOW_FRAMES;
		/* Tables for the blocks of 2048 frames this range touches. */
		for (uint32_t t = (first - LOW_FRAMES) / COUNTS_PER_PAGE;
		     t <= (last - 1 - LOW_FRAMES) / COUNTS_PER_PAGE; t++) {
			if (high_counts[t])
				continue;
			uint32_t page = pmm_alloc_page();
			if (!page) {
				printk("high memory: no low memory left for its reference counts; "
				       "it is not used\n");
				HIGH->end = LOW_FRAMES + t * COUNTS_PER_PAGE;
				return;
			}
			high_counts[t] = phys_to_virt(page);
			for (uint32_t j = 0; j < COUNTS_PER_PAGE; j++)
				high_counts[t][j] = FRAME_RESERVED;
		}
		release_frames(HIGH, first, last);
	}
}

/* Zero a page, wherever it is. */
static void zero_page(uint32_t phys)
{
	void *p = kmap(phys);
	memset(p, 0, PAGE_SIZE);
	kunmap(p);
}

/* The lowest free frame of zone z, taken with one reference; 0 if none. */
static uint32_t zone_alloc(struct zone *z)
{
	for (uint32_t f = z->hint; f < z->end; f++) {
		if (!has_count(f)) {	/* a 2048-frame block of high memory without RAM */
			f |= COUNTS_PER_PAGE - 1;
			continue;
		}
		if (!frame_used(f)) {
			refcount(f) = 1;
			z->free--;
			z->hint = f + 1;
			uint32_t phys = f * PAGE_SIZE;
			zero_page(phys);
			return phys;
		}
	}
	z->hint = z->end;
	return 0;
}

uint32_t pmm_alloc_page(void)
{
	return zone_alloc(LOW);
}

uint32_t pmm_alloc_user_page(void)
{
	uint32_t phys = zone_alloc(HIGH);
	return phys ? phys : zone_alloc(LOW);
}

/* The frame index of an allocated page; panics on anything else (a kernel bug). */
static uint32_t allocated_frame(uint32_t phys, const char *who)
{
	uint32_t f = phys / PAGE_SIZE;
	if (phys % PAGE_SIZE || !has_count(f) || refcount(f) == 0 || refcount(f) == FRAME_RESERVED)
		panic("%s(%08x): not an allocated page", who, phys);
	return f;
}

void pmm_page_get(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_page_get");
	if (refcount(f) == FRAME_RESERVED - 1)
		panic("pmm_page_get(%08x): reference count overflow", phys);
	refcount(f)++;
}

void pmm_page_put(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_page_put");
	if (--refcount(f))
		return;
	struct zone *z = zone_of(f);
	z->free++;
	if (f < z->hint)
		z->hint = f;
}

void pmm_free_page(uint32_t phys)
{
	uint32_t f = allocated_frame(phys, "pmm_free_page");
	if (refcount(f) != 1)
		panic("pmm_free_page(%08x): page still has %u references", phys, refcount(f));
	pmm_page_put(phys);
}

uint32_t pmm_page_refs(uint32_t phys)
{
	return refcount(allocated_frame(phys, "pmm_page_refs"));
}

/* Boot data is handed back only where the memory map says RAM (a frame
 * of a hole is reserved too, and the range, a module's as the boot
 * loader gave it, may span one), and never the kernel image.  Rounded in
 * 64 bits: a start in the last page must not wrap to 0. */
void pmm_release_range(uint32_t start, uint32_t end)
{
	uint64_t lo = ((uint64_t)start + PAGE_SIZE - 1) / PAGE_SIZE, hi = end / PAGE_SIZE;
	uint32_t kfirst = virt_to_phys(kernel_start) / PAGE_SIZE;
	uint32_t klast = (virt_to_phys(kernel_end) + PAGE_SIZE - 1) / PAGE_SIZE;
	for (int i = 0; i < mmap_entries; i++) {
		const struct multiboot_mmap_entry *e = &mmap_copy[i];
		uint32_t first, last;
		if (e->type != MB_MMAP_AVAILABLE)
			continue;
		ram_frames(e->addr, e->addr + e->len, &first, &last);
		if (first < lo)
			first = (uint32_t)lo;
		if (last > hi)
			last = (uint32_t)hi;
		for (uint32_t f = first; f < last && f < frames_end; f++)
			if (has_count(f) && refcount(f) == FRAME_RESERVED && f * PAGE_SIZE >= LOW_MEMORY_END &&
			    (f < kfirst || f >= klast)) {
				struct zone *z = zone_of(f);
				refcount(f) = 0;
				z->free++;
				z->total++;
				if (f < z->hint)
					z->hint = f;
			}
	}
}

uint32_t pmm_free_pages(void) { return LOW->free + HIGH->free; }
uint32_t pmm_total_pages(void) { return LOW->total + HIGH->total; }
uint32_t pmm_high_free_pages(void) { return HIGH->free; }
uint32_t pmm_high_total_pages(void) { return HIGH->total; }
uint32_t pmm_direct_map_end(void) { return LOW->end * PAGE_SIZE; }

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
		printk("  %08llx-%08llx %s\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->len - 1), mmap_type_name(e->type));
	}
	printk("kernel image %08x-%08x (%u KiB)\n", (uint32_t)(uintptr_t)kernel_start,
	       (uint32_t)(uintptr_t)kernel_end,
	       (uint32_t)(kernel_end - kernel_start) / 1024);
	printk("page allocator: %u pages (%u KiB) managed, %u free\n",
	       pmm_total_pages(), pmm_total_pages() * 4, pmm_free_pages());
	if (HIGH->total) {
		uint32_t tables = 0;
		for (uint32_t t = 0; t < HIGH_TABLES; t++)
			tables += high_counts[t] != 0;
		printk("  %u KiB of it above %u MiB: high memory, for user and file pages "
		       "(reached through kmap; its reference counts take %u KiB)\n",
		       HIGH->total * 4, DIRECT_MAP_SIZE >> 20, tables * 4);
	}
	if (ram_above_4g)
		printk("  %llu KiB of RAM above 4 GiB is not used (it needs PAE, which this kernel does not use)\n",
		       (unsigned long long)(ram_above_4g / 1024));
}
