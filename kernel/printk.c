/*
 * vsnprintf and printk.  printk formats into a stack buffer and hands the
 * bytes to the console, so it can be called from anywhere, including
 * interrupt handlers and panic.
 */
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/x86.h>
#include <stdint.h>
#include <stdbool.h>

struct outbuf {
	char *buf;
	size_t size;
	size_t len;	/* bytes that would have been written, like C's snprintf */
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct outbuf *o, unsigned long long v, unsigned base,
		       bool upper, bool negative, int width, bool zero_pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + (negative ? 1 : 0);
	if (negative && zero_pad)
		put(o, '-');
	if (!left)
		for (; width > len; width--)
			put(o, zero_pad ? '0' : ' ');
	if (negative && !zero_pad)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	for (; left && width > len; width--)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, zero = false;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		int width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int longs = 0;
		while (*fmt == 'l')
			longs++, fmt++;
		if (left)
			zero = false;

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = longs >= 2 ? va_arg(ap, long long)
				    : longs ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
			put_number(&o, mag, 10, false, v < 0, width, zero, left);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			unsigned long long v = longs >= 2 ? va_arg(ap, unsigned long long)
					     : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_number(&o, v, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', false,
				   width, zero, left);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false, false, 8, true, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while (s[len])
				len++;
			for (; !left && width > len; width--)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			for (; left && width > len; width--)
				put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end: stop at the NUL */
			break;
		default:	/* unknown conversion: print it as it was written */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof buf)
		n = sizeof buf - 1;
	/* One message is written whole, never interleaved with an interrupt's. */
	uint32_t flags = irq_save();
	console_write(buf, (unsigned long)n);
	irq_restore(flags);
}
