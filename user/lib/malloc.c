/*
 * malloc: a first-fit allocator.
 *
 * Small blocks live in the heap that brk grows.  Every block starts with a
 * header; the blocks lie one after another in address order and the headers
 * form a list in that order, so a freed block can merge with free
 * neighbours.  Requests of MMAP_THRESHOLD bytes or more get their own
 * anonymous mapping, which free() unmaps.
 *
 * The heap never shrinks: freed memory is reused, not returned.
 *
 * malloc_live_blocks() counts the blocks handed out and not yet freed, so
 * a program that is itself a kernel (uml-guest's /proc/kheap) can show
 * its leaks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define ALIGN           16u
#define MMAP_THRESHOLD  (128u * 1024)
#define PAGE            4096u

struct block {
	size_t size;            /* bytes of payload after this header */
	int free;
	int mmapped;            /* its own mapping (not in the list) */
	struct block *next;     /* next block in address order */
};                          /* 16 bytes: payloads stay 16-aligned */

static struct block *heap_first, *heap_last;
static unsigned long live_blocks;

unsigned long malloc_live_blocks(void)
{
	return live_blocks;
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* Cut block b to n bytes if what remains can hold another block. */
static void split(struct block *b, size_t n)
{
	if (b->size < n + sizeof(struct block) + ALIGN)
		return;
	struct block *rest = (struct block *)((char *)(b + 1) + n);
	rest->size = b->size - n - sizeof(struct block);
	rest->free = 1;
	rest->mmapped = 0;
	rest->next = b->next;
	b->size = n;
	b->next = rest;
	if (heap_last == b)
		heap_last = rest;
}

static void *big_alloc(size_t n)
{
	size_t total = round_up(n + sizeof(struct block), PAGE);
	struct block *b = mmap(NULL, total, PROT_READ | PROT_WRITE,
	                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->size = total - sizeof(struct block);
	b->free = 0;
	b->mmapped = 1;
	b->next = NULL;
	return b + 1;
}

static void *heap_alloc(size_t n);

void *malloc(size_t n)
{
	void *p = heap_alloc(n);
	if (p)
		live_blocks++;
	return p;
}

static void *heap_alloc(size_t n)
{
	if (n == 0)
		n = 1;
	if (n >= MMAP_THRESHOLD)
		return big_alloc(n);
	n = round_up(n, ALIGN);

	for (struct block *b = heap_first; b; b = b->next) {
		if (b->free && b->size >= n) {
			split(b, n);
			b->free = 0;
			return b + 1;
		}
	}

	/* Nothing fits: grow the heap, extending a free last block if any. */
	if (heap_last && heap_last->free) {
		if (sbrk(n - heap_last->size) == (void *)-1)
			goto nomem;
		heap_last->size = n;
		heap_last->free = 0;
		return heap_last + 1;
	}
	if (!heap_first) {
		/* Align the start of the heap once. */
		uintptr_t cur = (uintptr_t)sbrk(0);
		if (sbrk(round_up(cur, ALIGN) - cur) == (void *)-1)
			goto nomem;
	}
	struct block *b = sbrk(sizeof(struct block) + n);
	if (b == (void *)-1)
		goto nomem;
	b->size = n;
	b->free = 0;
	b->mmapped = 0;
	b->next = NULL;
	if (heap_last)
		heap_last->next = b;
	else
		heap_first = b;
	heap_last = b;
	return b + 1;
nomem:
	errno = ENOMEM;
	return NULL;
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)p - 1;
	live_blocks--;
	if (b->mmapped) {
		munmap(b, b->size + sizeof(struct block));
		return;
	}
	b->free = 1;
	/* Merge every run of free neighbours (a walk keeps this simple). */
	for (struct block *x = heap_first; x; x = x->next) {
		while (x->free && x->next && x->next->free) {
			if (heap_last == x->next)
				heap_last = x;
			x->size += sizeof(struct block) + x->next->size;
			x->next = x->next->next;
		}
	}
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	struct block *b = (struct block *)p - 1;
	if (b->size >= n)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, b->size);
		free(p);
	}
	return q;
}
