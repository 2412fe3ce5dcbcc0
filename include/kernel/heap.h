/*
 * The kernel heap (kernel/mm/heap.c): kmalloc and kfree of any size,
 * 16-byte aligned, from a virtual region mapped a page at a time.
 */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>
#include <stdint.h>

void heap_init(void);
/* NULL when the heap cannot grow; size 0 gives a unique minimal block. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);	/* kfree(NULL) does nothing */
char *kstrdup(const char *s);	/* a kmalloc'd copy; NULL for NULL or out of memory */

struct heap_stats {
	uint32_t pages;		/* pages the heap has mapped */
	uint32_t used_bytes;	/* bytes in live blocks, headers included */
	uint32_t live_blocks;	/* kmalloc calls not yet freed */
	uint32_t free_blocks;	/* blocks on the free list */
};
void heap_get_stats(struct heap_stats *st);
/* Walk every block and check the headers and the free list; panics on corruption. */
void heap_check(void);

#endif
