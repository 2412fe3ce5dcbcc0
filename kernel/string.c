/*
 * Memory and string functions.  GCC may also emit calls to memcpy, memset,
 * memmove and memcmp on its own (for struct copies), so these four must
 * exist with exactly the C library's contracts.  memcpy, memset and memcmp
 * use the string instructions (<arch/string_ops.h>, shared with the C library).
 */
#include <arch/string_ops.h>
#include <kernel/string.h>
#include <stdint.h>

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
		while (n--)
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

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
