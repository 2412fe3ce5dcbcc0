/*
 * Copying and filling memory with the x86 string instructions, shared by
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

#endif
