/*
 * The two streams.  Each has a buffer; stdout is flushed when a line ends
 * or the buffer fills, stderr at the end of every call that writes to it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct FILE {
	int fd;
	int is_stderr;      /* flush after every call */
	size_t len;         /* bytes waiting in buf */
	char buf[BUFSIZ];
};

static FILE out_file = { .fd = 1 };
static FILE err_file = { .fd = 2, .is_stderr = 1 };
FILE *stdout = &out_file;
FILE *stderr = &err_file;

/* Write out the whole buffer, retrying short writes. */
static int flush_one(FILE *f)
{
	size_t done = 0;
	while (done < f->len) {
		ssize_t n = write(f->fd, f->buf + done, f->len - done);
		if (n <= 0) {
			f->len = 0;     /* drop what cannot be written */
			return EOF;
		}
		done += n;
	}
	f->len = 0;
	return 0;
}

int fflush(FILE *f)
{
	if (!f)
		return flush_one(stdout) | flush_one(stderr);
	return flush_one(f);
}

/* Add one character; used by printf's engine too (stdio_put). */
int __stdio_put(int c, FILE *f)
{
	f->buf[f->len++] = (char)c;
	if (f->len == sizeof(f->buf) || (c == '\n' && !f->is_stderr))
		return flush_one(f);
	return 0;
}

int fputc(int c, FILE *f)
{
	int r = __stdio_put(c, f);
	if (f->is_stderr && r == 0)
		r = flush_one(f);
	return r < 0 ? EOF : (unsigned char)c;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	const char *s = p;
	for (size_t i = 0; i < size * n; i++)
		if (__stdio_put(s[i], f) < 0)
			return i / size;
	if (f->is_stderr)
		flush_one(f);
	return n;
}

int fputs(const char *s, FILE *f)
{
	return fwrite(s, 1, strlen(s), f) == strlen(s) ? 0 : EOF;
}

int puts(const char *s)
{
	if (fputs(s, stdout) < 0)
		return EOF;
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fileno(FILE *f)
{
	return f->fd;
}
