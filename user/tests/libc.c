/*
 * Our own C library: printf formatting, string functions, strtol, qsort,
 * malloc (small blocks on brk, large ones through mmap2), getenv.
 */
#include "check.h"
#include <ctype.h>

/* memcpy, memset and memcmp work a word at a time (<arch/string_ops.h>):
 * every length from 0 to 40 at every alignment, against byte loops, and
 * memcmp's sign for a difference at every position, either way. */
static void check_string_instructions(void)
{
	static unsigned char src[64], dst[64], want[64];
	for (int i = 0; i < 64; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (int off = 0; off < 4; off++) {
		for (int n = 0; n <= 40; n++) {
			for (int i = 0; i < 64; i++)
				dst[i] = want[i] = 0xee;
			for (int i = 0; i < n; i++)
				want[off + i] = src[3 - off + i];
			CHECK(memcpy(dst + off, src + 3 - off, n) == dst + off);
			for (int i = 0; i < 64; i++)
				CHECK_EQ(dst[i], want[i]);
			for (int i = 0; i < n; i++)
				want[off + i] = 0xa5;
			CHECK(memset(dst + off, 0xa5, n) == dst + off);
			for (int i = 0; i < 64; i++)
				CHECK_EQ(dst[i], want[i]);
		}
	}
	for (int n = 1; n <= 40; n++) {
		for (int at = 0; at < n; at++) {
			memcpy(dst, src, n);
			CHECK_EQ(memcmp(dst, src, n), 0);
			dst[at] = (unsigned char)(src[at] + 1);	/* bigger here, the same before */
			CHECK(memcmp(dst, src, n) > 0);
			CHECK(memcmp(src, dst, n) < 0);
			CHECK_EQ(memcmp(dst, src, at), 0);
		}
	}
}

static char buf[256];

#define FMT(want, ...) do { \
	int _n = snprintf(buf, sizeof(buf), __VA_ARGS__); \
	CHECK_STR(buf, want); \
	CHECK_EQ(_n, (long)strlen(want)); \
} while (0)

static void test_printf(void)
{
	FMT("42 -7 0", "%d %i %u", 42, -7, 0u);
	FMT("ff FF 0xff 17 017", "%x %X %#x %o %#o", 255u, 255u, 255u, 15u, 15u);
	FMT("[   5] [5   ] [00005] [+5] [ 5]", "[%4d] [%-4d] [%05d] [%+d] [% d]", 5, 5, 5, 5, 5);
	FMT("[  -5] [-0005]", "[%4d] [%05d]", -5, -5);
	FMT("[007] [  007]", "[%.3d] [%5.3d]", 7, 7);
	FMT("-2147483648 4294967295", "%d %u", (int)0x80000000, 0xffffffffu);
	FMT("-9223372036854775808 18446744073709551615", "%lld %llu",
	    (long long)0x8000000000000000ULL, 0xffffffffffffffffULL);
	FMT("123456789012 1c", "%lld %llx", 123456789012LL, 28ULL);
	FMT("-1 65535 255 -1", "%hd %hu %hhu %hhd", (short)-1, 0xffff, 0xff, 0xff);
	FMT("abc|ab|  abc|abc  ", "%s|%.2s|%5s|%-5s", "abc", "abc", "abc", "abc");
	FMT("x%y", "%c%%%c", 'x', 'y');
	FMT("0x1000", "%p", (void *)0x1000);
	FMT("[  7]", "[%*d]", 3, 7);
	FMT("", "%.0d", 0);

	/* Truncation: the result is cut and terminated, the count is whole. */
	CHECK_EQ(snprintf(buf, 5, "%s", "abcdefgh"), 8);
	CHECK_STR(buf, "abcd");
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_strings(void)
{
	char s[32];

	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen("hello"), 5);
	CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("ab", "ab") == 0);
	CHECK(strcmp("a", "ab") < 0);
	CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
	CHECK_STR(strcpy(s, "foo"), "foo");
	CHECK_STR(strcat(s, "bar"), "foobar");
	CHECK_STR(strchr(s, 'b'), "bar");
	CHECK(strchr(s, 'z') == NULL);
	CHECK_STR(strrchr("a/b/c", '/'), "/c");
	CHECK_STR(strstr("haystack", "st"), "stack");
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("abc:d", ":"), 3);
	memset(s, 'x', sizeof(s));
	memmove(s + 2, s, 10);
	memcpy(s, "0123456789", 10);
	memmove(s + 1, s, 9);               /* overlapping, upwards */
	CHECK(!memcmp(s, "0012345678", 10));
	memmove(s, s + 1, 9);               /* overlapping, downwards */
	CHECK(!memcmp(s, "012345678", 9));
	CHECK(memcmp("abc", "abd", 3) < 0);
	check_string_instructions();
	CHECK_STR(strerror(ENOENT), "No such file or directory");

	char *end;
	CHECK_EQ(strtol("  -123xyz", &end, 10), -123);
	CHECK_STR(end, "xyz");
	CHECK_EQ(strtol("0x1F", NULL, 0), 31);
	CHECK_EQ(strtol("017", NULL, 0), 15);
	CHECK_EQ(strtoul("ff", NULL, 16), 255);
	CHECK_EQ(atoi("42"), 42);
	CHECK_EQ(strtol("abc", &end, 10), 0);
	CHECK_STR(end, "abc");

	int v[] = { 5, 3, 9, 1, 7, 3 };
	qsort(v, 6, sizeof(int), cmp_int);
	for (int i = 0; i < 5; i++)
		CHECK(v[i] <= v[i + 1]);
	CHECK(isdigit('7') && !isdigit('a') && isspace('\t') && toupper('q') == 'Q');
}

static void test_malloc(void)
{
	char *p[100];

	for (int i = 0; i < 100; i++) {
		p[i] = malloc(1 + i * 37);
		CHECK(p[i] != NULL);
		CHECK_EQ((unsigned long)p[i] % 16, 0);
		memset(p[i], i, 1 + i * 37);
	}
	for (int i = 0; i < 100; i += 2)
		free(p[i]);
	for (int i = 1; i < 100; i += 2)
		for (int j = 0; j < 1 + i * 37; j++)
			if (p[i][j] != (char)i)
				CHECK_EQ(p[i][j], (char)i);      /* neighbours untouched */
	for (int i = 0; i < 100; i += 2)
		CHECK((p[i] = malloc(20)) != NULL);
	for (int i = 0; i < 100; i++)
		free(p[i]);

	/* A big block comes from mmap and goes back to the kernel on free. */
	char *big = malloc(1 << 20);
	CHECK(big != NULL);
	big[0] = 1;
	big[(1 << 20) - 1] = 2;
	free(big);
	CHECK_EQ(probe(big, 0), SIGSEGV);

	char *z = calloc(100, 10);
	CHECK(z != NULL);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(z[i], 0);
	char *r = realloc(z, 5000);
	CHECK(r != NULL);
	CHECK_EQ(r[999], 0);
	free(r);
	CHECK(malloc(0xf0000000u) == NULL);      /* more than there is */
	CHECK_EQ(errno, ENOMEM);
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	CHECK(envp == environ);
	test_printf();
	test_strings();
	test_malloc();
	return 0;
}
