/*
 * The kernel heap of the host build: kmalloc is malloc, so
 * AddressSanitizer guards every VMA and mm (a use after free or an
 * overrun is reported where it happens).  Blocks are counted for the
 * leak checks, and one call can be made to fail, to drive the callers'
 * out-of-memory paths one allocation at a time.
 */
#include <stdlib.h>
#include <string.h>
#include "fake.h"
#include <kernel/heap.h>

static uint32_t live;
static long fail_at = -1;
static unsigned long calls;

void *kmalloc(size_t size)
{
	calls++;
	if (fail_at >= 0 && fail_at-- == 0)
		return 0;
	void *p = malloc(size ? size : 1);
	if (p)
		live++;
	return p;
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
	live--;
	free(p);
}

uint32_t fake_heap_live(void) { return live; }
void fake_heap_fail_at(long n) { fail_at = n; }
unsigned long fake_heap_calls(void) { return calls; }
