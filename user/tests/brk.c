/*
 * brk: the raw system call returns the new break on success and the old
 * one on failure; brk(0) asks.  Memory between the old and the new break
 * is zero-filled, and gone again after the break moves back.
 */
#include "check.h"
#include <sys/mman.h>

extern char end[];      /* the linker's end of .bss */

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)__syscall1(__NR_brk, addr);
}

static unsigned long page_up(unsigned long a)
{
	return (a + PAGE - 1) & ~(unsigned long)(PAGE - 1);
}

int main(void)
{
	unsigned long start = sys_brk(0);
	CHECK(start >= (unsigned long)end);
	CHECK_EQ(sys_brk(0), start);

	/* Grow by a little over three pages: the exact (unaligned) value comes back. */
	unsigned long want = start + 3 * PAGE + 5;
	CHECK_EQ(sys_brk(want), want);
	CHECK_EQ(sys_brk(0), want);
	for (unsigned long a = start; a < want; a++)
		CHECK_EQ(*(volatile char *)a, 0);
	memset((void *)start, 0x5a, want - start);
	CHECK_EQ(probe((char *)want - 1, 1), 0);
	CHECK_EQ(probe((char *)page_up(want) - 1, 1), 0);    /* the rest of the last page */
	CHECK_EQ(probe((char *)page_up(want), 0), SIGSEGV);  /* the next page: nothing */

	/* Shrink back: the pages above go away; growing again gives zeros. */
	CHECK_EQ(sys_brk(start), start);
	CHECK_EQ(probe((char *)page_up(start) + PAGE, 0), SIGSEGV);
	CHECK_EQ(sys_brk(start + 2 * PAGE), start + 2 * PAGE);
	CHECK_EQ(*(volatile char *)(page_up(start) + 10), 0);

	/* Below the start of the heap: refused, the break stays. */
	CHECK_EQ(sys_brk(start - PAGE), start + 2 * PAGE);
	CHECK_EQ(sys_brk(1), start + 2 * PAGE);
	CHECK_EQ(sys_brk(start), start);

	/* Into an existing mapping: refused. */
	char *fixed = (char *)page_up(start) + 8 * PAGE;
	CHECK(mmap(fixed, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
	           -1, 0) == fixed);
	CHECK_EQ(sys_brk(start + 16 * PAGE), start);
	/* Linux keeps a one-page gap between the heap and the next mapping. */
	CHECK_EQ(sys_brk(page_up(start) + 8 * PAGE), start);
	CHECK_EQ(sys_brk(page_up(start) + 7 * PAGE), page_up(start) + 7 * PAGE);
	CHECK_EQ(sys_brk(start), start);
	CHECK_OK(munmap(fixed, PAGE));

	/* Into the kernel's part of the address space: refused. */
	CHECK_EQ(sys_brk(0xc0001000), start);
	CHECK_EQ(sys_brk(0xfffff000), start);

	/* The C wrappers. */
	void *p = sbrk(0);
	CHECK_EQ((unsigned long)p, start);
	CHECK_EQ((unsigned long)sbrk(100), start);
	CHECK_EQ((unsigned long)sbrk(0), start + 100);
	CHECK_OK(brk((void *)start));
	CHECK_ERR(brk((void *)0xc0001000), ENOMEM);
	return 0;
}
