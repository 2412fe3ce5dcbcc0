/*
 * Memory and string functions: those the C library has too come from
 * <lib/string_defs.h>, shared with it; strlcpy is the kernel's own.
 */
#include <kernel/string.h>
#include <lib/string_defs.h>

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
