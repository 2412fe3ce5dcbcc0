/*
 * The text of a sysctl (a /proc/sys file) and pipe sizes, as Linux has
 * them, for the kernel (kernel/fs/procfs_sys.c, kernel/fs/pipe.c) and the
 * guest kernel (uml-guest/procfs.c, uml-guest/pipe.c): static inline
 * functions, so each may include this wherever it needs them.
 *
 * A write to a sysctl at offset 0 is parsed as Linux's proc_dointvec and
 * proc_douintvec do: spaces first, then an optional '-', then a number in
 * C notation (0x1f, 017, 31) that must end at a space, tab or newline, or
 * at the end of the write (of which at most 4095 bytes are looked at).
 * Anything else, nothing at all, or a number out of range is EINVAL.
 */
#ifndef LIB_SYSCTL_TEXT_H
#define LIB_SYSCTL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/errno.h>

#define SYSCTL_WRITE_MAX	4095	/* Linux: PAGE_SIZE - 1 bytes of a write */
#define SYSCTL_NUM_MAX		21	/* Linux's TMPBUFLEN - 1: a longer number is EINVAL */

/* Linux's round_pipe_size: bytes up to a power-of-two number of pages,
 * at least one page; 0 (refused) above 2^31. */
static inline uint32_t round_pipe_size(uint32_t size)
{
	if (size > 1u << 31)
		return 0;
	uint32_t r = 4096;
	while (r < size)
		r <<= 1;
	return r;
}

static inline bool sysctl_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* A digit's value in base, or -1. */
static inline int sysctl_digit(char c, unsigned base)
{
	int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
	return (unsigned)v < base ? v : -1;
}

/*
 * Linux's proc_get_long on s[0..len): an optional '-' (if more follows),
 * then a number in C notation that fits an unsigned long, ending at a
 * space, tab, newline or len.  0 with *val, *neg, *used (bytes taken), or
 * -EINVAL.
 */
static inline int sysctl_get_long(const char *s, size_t len, uint32_t *val, bool *neg, size_t *used)
{
	size_t n = len < SYSCTL_NUM_MAX ? len : SYSCTL_NUM_MAX, i = 0;
	*neg = false;
	if (n && s[0] == '-' && len > 1) {
		*neg = true;
		i++;
	}
	if (i >= n || sysctl_digit(s[i], 10) < 0)
		return -EINVAL;
	unsigned base = 10;
	if (s[i] == '0' && i + 2 < n && (s[i + 1] | 0x20) == 'x' && sysctl_digit(s[i + 2], 16) >= 0) {
		base = 16;
		i += 2;
	} else if (s[i] == '0') {
		base = 8;
	}
	uint64_t v = 0;
	for (; i < n && sysctl_digit(s[i], base) >= 0; i++) {
		v = v * base + (uint64_t)sysctl_digit(s[i], base);
		if (v > 0xFFFFFFFFull)
			return -EINVAL;		/* ERANGE there, said as EINVAL */
	}
	if (i == SYSCTL_NUM_MAX)
		return -EINVAL;			/* too long to know where it ends */
	if (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
		return -EINVAL;
	*val = (uint32_t)v;
	*used = i;
	return 0;
}

/*
 * A write of len bytes at offset 0 to an int sysctl within [min, max]
 * (pipe_size false: Linux's proc_dointvec_minmax) or to a pipe size
 * (pipe_size true: proc_dopipe_max_size, which rounds the number with
 * round_pipe_size).  Returns the count write() reports (the int kind: the
 * bytes parsed, with the spaces after them; the pipe size: all of them)
 * and the value to store in *out, or -EINVAL (store nothing).
 */
static inline long sysctl_parse(const char *buf, size_t len, bool pipe_size, int min, int max,
				uint32_t *out)
{
	size_t left = len < SYSCTL_WRITE_MAX ? len : SYSCTL_WRITE_MAX, at = 0;
	while (at < left && sysctl_space(buf[at]))
		at++;
	if (at == left)
		return -EINVAL;			/* no number at all */
	uint32_t v;
	bool neg;
	size_t used;
	if (sysctl_get_long(buf + at, left - at, &v, &neg, &used))
		return -EINVAL;
	at += used;
	if (pipe_size) {
		uint32_t size = neg ? 0 : round_pipe_size(v);
		if (!size)
			return -EINVAL;
		*out = size;
		return (long)len;
	}
	if (neg ? v > 0x80000000u : v > 0x7FFFFFFFu)
		return -EINVAL;
	int value = neg ? (int)-(int64_t)v : (int)v;
	if (value < min || value > max)
		return -EINVAL;
	*out = (uint32_t)value;
	while (at < left && sysctl_space(buf[at]))
		at++;
	return (long)(len - (left - at));
}

#endif
