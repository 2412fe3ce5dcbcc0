/*
 * printf's engine.  format() walks the format string and sends every
 * character to an "out" function; snprintf, dprintf and the FILE functions
 * differ only in that function.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%; flags - 0 + space #;
 * width and precision (numbers or *); length modifiers hh h l ll z j t.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
	void (*out)(struct sink *s, char c);
	char *buf;          /* snprintf: the buffer and its room */
	size_t room;
	int fd;             /* dprintf */
	FILE *file;         /* fprintf */
	size_t count;       /* characters produced, written or not */
};

/* Emit one conversion's digits with padding: [sign][prefix][zeros]digits. */
static void emit_number(struct sink *s, const char *digits, int ndig, const char *sign_prefix,
                        int width, int prec, int left, int zero)
{
	int zeros = prec > ndig ? prec - ndig : 0;
	int len = (int)strlen(sign_prefix) + zeros + ndig;
	int pad = width > len ? width - len : 0;

	if (zero && !left && prec < 0) {
		zeros += pad;       /* "0" flag: pad with zeros after the sign */
		pad = 0;
	}
	for (; !left && pad > 0; pad--)
		s->out(s, ' ');
	for (const char *p = sign_prefix; *p; p++)
		s->out(s, *p);
	for (; zeros > 0; zeros--)
		s->out(s, '0');
	for (int i = 0; i < ndig; i++)
		s->out(s, digits[i]);
	for (; pad > 0; pad--)
		s->out(s, ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			s->out(s, *fmt);
			continue;
		}
		int left = 0, zero = 0, plus = 0, space = 0, alt = 0;
		int width = 0, prec = -1, size = 0;     /* size: -2 hh, -1 h, 1 l, 2 ll */

		for (;; fmt++) {                        /* flags */
			char f = fmt[1];
			if (f == '-') left = 1;
			else if (f == '0') zero = 1;
			else if (f == '+') plus = 1;
			else if (f == ' ') space = 1;
			else if (f == '#') alt = 1;
			else break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {                        /* length modifiers */
			if (*fmt == 'h') size--;
			else if (*fmt == 'l') size++;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') size = (*fmt == 'j') ? 2 : 0;
			else break;
		}

		char c = *fmt;
		if (c == 0)
			break;
		if (c == '%') {
			s->out(s, '%');
			continue;
		}
		if (c == 'c') {
			char ch = (char)va_arg(ap, int);
			emit_number(s, &ch, 1, "", width, -1, left, 0);
			continue;
		}
		if (c == 's') {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int n = (int)(prec >= 0 ? strnlen(str, prec) : strlen(str));
			emit_number(s, str, n, "", width, -1, left, 0);
			continue;
		}

		/* Integers: fetch as 64 bits, then cut to the declared size. */
		unsigned long long u;
		int negative = 0;
		int is_signed = (c == 'd' || c == 'i');
		if (c == 'p') {
			u = (uintptr_t)va_arg(ap, void *);
			alt = 1;
		} else if (size >= 2) {
			u = va_arg(ap, unsigned long long);
		} else {
			u = va_arg(ap, unsigned int);   /* int and long are both 32 bits */
			if (is_signed)
				u = (unsigned long long)(long long)(int)u;
		}
		if (size == -1)
			u = is_signed ? (unsigned long long)(long long)(short)u : (unsigned short)u;
		else if (size <= -2)
			u = is_signed ? (unsigned long long)(long long)(signed char)u : (unsigned char)u;
		if (is_signed && (long long)u < 0) {
			negative = 1;
			u = -u;
		}

		unsigned base = 10;
		const char *hex = "0123456789abcdef";
		if (c == 'x' || c == 'p') base = 16;
		else if (c == 'X') { base = 16; hex = "0123456789ABCDEF"; }
		else if (c == 'o') base = 8;
		else if (c != 'd' && c != 'i' && c != 'u') {
			s->out(s, '%');                 /* unknown conversion: print it */
			s->out(s, c);
			continue;
		}

		char digits[24];
		int n = 0;
		char tmp[24];
		do {
			tmp[n++] = hex[u % base];
			u /= base;
		} while (u);
		if (prec == 0 && n == 1 && tmp[0] == '0')
			n = 0;                          /* "%.0d" of 0 prints nothing */
		for (int i = 0; i < n; i++)
			digits[i] = tmp[n - 1 - i];

		const char *prefix = "";
		if (negative) prefix = "-";
		else if (is_signed && plus) prefix = "+";
		else if (is_signed && space) prefix = " ";
		else if (alt && base == 16 && n) prefix = (c == 'X') ? "0X" : "0x";
		else if (alt && base == 8) prefix = "0";
		emit_number(s, digits, n, prefix, width, prec, left, zero);
	}
}

static void out_buf(struct sink *s, char c)
{
	if (s->room > 1) {
		*s->buf++ = c;
		s->room--;
	}
	s->count++;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { .out = out_buf, .buf = buf, .room = n };
	format(&s, fmt, ap);
	if (n)
		*s.buf = 0;
	return (int)s.count;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
	va_end(ap);
	return r;
}

int __stdio_put(int c, FILE *f);

static void out_file(struct sink *s, char c)
{
	__stdio_put(c, s->file);
	s->count++;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct sink s = { .out = out_file, .file = f };
	format(&s, fmt, ap);
	if (f == stderr)
		fflush(f);
	return (int)s.count;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* dprintf formats into a stack buffer, then writes it in one go. */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[512];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap2);
	va_end(ap2);
	int len = n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1;
	fflush(stdout);             /* keep the order of what the reader sees */
	return write(fd, buf, len) < 0 ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}
