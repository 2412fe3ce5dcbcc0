/*
 * The kernel heap: a first-fit allocator with boundary tags over the
 * virtual region HEAP_START..HEAP_END, which grows a page at a time as
 * kmalloc needs it (each page from the page allocator, mapped with
 * kmap_page).  It never shrinks: freed memory is reused, not returned.
 *
 * The region is a sequence of blocks, each starting with a 16-byte header:
 *
 *   | size | used | prev_size | magic | payload ........ | size | used | ...
 *
 * size is the whole block (header included, a multiple of 16); prev_size
 * the size of the block just below, so kfree can merge with both
 * neighbours.  Free blocks are also on a doubly linked free list whose
 * links live in their payload.  Adjacent free blocks are always merged.
 */
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define ALIGN		16
#define HEADER_SIZE	16
#define MIN_BLOCK	32	/* header + the two free-list links, rounded */
#define HEAP_MAGIC	0x4B484541u	/* "AEHK" */

struct block {
	uint32_t size;
	uint32_t used;
	uint32_t prev_size;	/* 0 for the first block */
	uint32_t magic;
	/* payload; while free it starts with the free-list links: */
	struct block *next_free, *prev_free;
};

static uint32_t heap_top = HEAP_START;	/* first unmapped address */
static struct block *last_block;	/* highest block, or NULL */
static struct block *free_list;
static struct heap_stats stats;

static struct block *next_block(struct block *b)
{
	uintptr_t next = (uintptr_t)b + b->size;
	return next < heap_top ? (struct block *)next : 0;
}

static struct block *prev_block(struct block *b)
{
	return b->prev_size ? (struct block *)((uintptr_t)b - b->prev_size) : 0;
}

static void list_insert(struct block *b)
{
	b->prev_free = 0;
	b->next_free = free_list;
	if (free_list)
		free_list->prev_free = b;
	free_list = b;
	stats.free_blocks++;
}

static void list_remove(struct block *b)
{
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else
		free_list = b->next_free;
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	stats.free_blocks--;
}

/* Set b's size and tell the block above it. */
static void set_size(struct block *b, uint32_t size)
{
	b->size = size;
	struct block *n = next_block(b);
	if (n)
		n->prev_size = size;
	else
		last_block = b;
}

/* Map pages so that at least `need` more bytes exist; false when out of memory. */
static bool grow(uint32_t need)
{
	uint32_t bytes = (need + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (heap_top + bytes > HEAP_END || heap_top + bytes < heap_top)
		return false;
	for (uint32_t off = 0; off < bytes; off += PAGE_SIZE) {
		uint32_t phys = pmm_alloc_page();
		if (!phys) {
			while (off) {	/* give back what this call mapped */
				off -= PAGE_SIZE;
				pmm_free_page(kunmap_page(heap_top + off));
				stats.pages--;
			}
			return false;
		}
		kmap_page(heap_top + off, phys, PTE_WRITE);
		stats.pages++;
	}
	struct block *b = (struct block *)(uintptr_t)heap_top;
	heap_top += bytes;
	if (last_block && !last_block->used) {	/* extend the free block at the top */
		set_size(last_block, last_block->size + bytes);
		return true;
	}
	b->used = 0;
	b->magic = HEAP_MAGIC;
	b->prev_size = last_block ? last_block->size : 0;
	b->size = bytes;
	last_block = b;
	list_insert(b);
	return true;
}

void heap_init(void)
{
	heap_top = HEAP_START;
	last_block = 0;
	free_list = 0;
	memset(&stats, 0, sizeof stats);
}

void *kmalloc(size_t size)
{
	if (size > HEAP_END - HEAP_START)
		return 0;
	uint32_t need = ((uint32_t)size + HEADER_SIZE + ALIGN - 1) & ~(ALIGN - 1);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;

	for (;;) {
		for (struct block *b = free_list; b; b = b->next_free) {
			if (b->size < need)
				continue;
			list_remove(b);
			if (b->size - need >= MIN_BLOCK) {	/* split off the rest */
				uint32_t rest_size = b->size - need;
				set_size(b, need);
				struct block *rest = (struct block *)((uintptr_t)b + need);
				rest->used = 0;
				rest->magic = HEAP_MAGIC;
				rest->prev_size = need;
				if (last_block == b)
					last_block = rest;
				rest->size = rest_size;
				struct block *after = next_block(rest);
				if (after)
					after->prev_size = rest_size;
				list_insert(rest);
			}
			b->used = 1;
			stats.used_bytes += b->size;
			stats.live_blocks++;
			return (uint8_t *)b + HEADER_SIZE;
		}
		/* Nothing fits: grow; the new space joins a free block at the top. */
		uint32_t top_free = last_block && !last_block->used ? last_block->size : 0;
		if (!grow(need - top_free))
			return 0;
	}
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((uint8_t *)p - HEADER_SIZE);
	if ((uintptr_t)b < HEAP_START || (uintptr_t)b >= heap_top || (uintptr_t)p % ALIGN
	    || b->magic != HEAP_MAGIC || !b->used)
		panic("kfree(%p): not a live heap block (double free or bad pointer)", p);
	b->used = 0;
	stats.used_bytes -= b->size;
	stats.live_blocks--;

	struct block *n = next_block(b);
	if (n && !n->used) {
		list_remove(n);
		n->magic = 0;
		set_size(b, b->size + n->size);
	}
	struct block *pb = prev_block(b);
	if (pb && !pb->used) {
		b->magic = 0;
		set_size(pb, pb->size + b->size);
		return;	/* pb is already on the free list */
	}
	list_insert(b);
}

void heap_get_stats(struct heap_stats *st)
{
	*st = stats;
}

void heap_check(void)
{
	uint32_t prev_size = 0, free_seen = 0, live = 0, used = 0;
	bool prev_free = false;
	for (uint32_t a = HEAP_START; a < heap_top;) {
		struct block *b = (struct block *)(uintptr_t)a;
		if (b->magic != HEAP_MAGIC || b->size < MIN_BLOCK || b->size % ALIGN
		    || a + b->size > heap_top || b->prev_size != prev_size)
			panic("heap corrupt at block %08x (size %u, prev_size %u, magic %08x)",
			      a, b->size, b->prev_size, b->magic);
		if (!b->used && prev_free)
			panic("heap: two adjacent free blocks at %08x", a);
		if (b->used) {
			live++;
			used += b->size;
		} else {
			free_seen++;
		}
		prev_free = !b->used;
		prev_size = b->size;
		if (a + b->size == heap_top && b != last_block)
			panic("heap: last block is %p, expected %08x", (void *)last_block, a);
		a += b->size;
	}
	uint32_t listed = 0;
	for (struct block *b = free_list; b; b = b->next_free, listed++)
		if (b->used || b->magic != HEAP_MAGIC)
			panic("heap: free list holds block %p that is not free", (void *)b);
	if (listed != free_seen || listed != stats.free_blocks || live != stats.live_blocks
	    || used != stats.used_bytes)
		panic("heap: counts disagree (free %u/%u/%u, live %u/%u, used %u/%u)",
		      listed, free_seen, stats.free_blocks, live, stats.live_blocks,
		      used, stats.used_bytes);
}

char *kstrdup(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}
