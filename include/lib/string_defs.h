/*
 * The memory and string functions that the kernel and the C library both
 * need, defined once.  This header holds definitions, not declarations:
 * each program includes it in exactly one source file (kernel/string.c,
 * user/lib/string.c), after its own declarations of these functions.
 *
 * memcpy, memset and memcmp use the string instructions
 * (<arch/string_ops.h>); the rest are plain loops, written for clarity.
 * GCC may emit calls to memcpy, memset, memmove and memcmp by itself (for
 * struct copies), so those four keep exactly the C library's contracts.
 */
#ifndef LIB_STRING_DEFS_H
#define LIB_STRING_DEFS_H

#include <arch/string_ops.h>
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	string_copy(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)             /* overlapping from below: copy backwards */
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	string_fill(dst, c, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	return string_compare(a, b, n);
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

#endif
