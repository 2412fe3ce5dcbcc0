/*
 * Copying, filling and comparing memory with the x86 string instructions, shared by
 * the kernel (kernel/string.c) and the C library (user/lib/string.c).
 *
 * rep movsl / rep stosl move four bytes per step and rep movsb / stosb
 * the rest: a 4 KiB page is 1024 steps instead of 4096 turns of a byte
 * loop (which is what a guest kernel zeroing a page would otherwise pay).
 * The direction flag must be clear, as the i386 ABI guarantees at every
 * call.  Plain C loops would do, but the compiler may turn a loop that
 * copies or fills into a call to memcpy or memset: these very functions.
 */
#ifndef ARCH_STRING_OPS_H
#define ARCH_STRING_OPS_H

#include <stddef.h>
#include <stdint.h>

static inline void string_copy(void *dst, const void *src, size_t n)
{
	size_t words = n / 4, rest = n % 4;
	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(rest) : : "memory");
}

static inline void string_fill(void *dst, int c, size_t n)
{
	uint32_t fill = (uint8_t)c * 0x01010101u;
	size_t words = n / 4, rest = n % 4;
	__asm__ volatile("rep stosl" : "+D"(dst), "+c"(words) : "a"(fill) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(rest) : "a"(fill) : "memory");
}

/* memcmp's result: a word at a time (repe cmpsl stops after the first
 * word that differs), then that word's bytes decide the order. */
static inline int string_compare(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t words = n / 4;
	unsigned char differ = 0;
	if (words)
		__asm__ volatile("repe cmpsl; setne %0"
		                 : "=q"(differ), "+S"(x), "+D"(y), "+c"(words) : : "memory", "cc");
	if (differ) {
		x -= 4;
		y -= 4;
		n = 4;
	} else {
		n %= 4;
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

#endif
