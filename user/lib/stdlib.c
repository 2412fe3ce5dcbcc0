/* exit and atexit, the environment, number parsing, qsort. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>

#define MAX_ATEXIT 32

static void (*atexit_fns[MAX_ATEXIT])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == MAX_ATEXIT)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

/* Run atexit handlers (last registered first), flush stdout, leave. */
void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	fflush(NULL);
	_exit(status);
}

void _Exit(int status)
{
	_exit(status);
}

void abort(void)
{
	fflush(NULL);
	kill(getpid(), SIGABRT);
	_exit(127);
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	for (char **e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/*
 * The parsing behind strtol and friends: optional space and sign, then
 * digits in base 2..36; base 0 means "0x" hex, "0" octal, else decimal.
 * Overflow is not detected (our programs parse small numbers).
 */
unsigned long long strtoull(const char *s, char **end, int base)
{
	const char *p = s;
	int neg = 0, any = 0;
	unsigned long long v = 0;

	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit(p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = (*p == '0') ? 8 : 10;
	}
	for (;; p++) {
		int d;
		if (isdigit(*p)) d = *p - '0';
		else if (isalpha(*p)) d = tolower(*p) - 'a' + 10;
		else break;
		if (d >= base)
			break;
		v = v * base + d;
		any = 1;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return neg ? -v : v;
}

long long strtoll(const char *s, char **end, int base) { return (long long)strtoull(s, end, base); }
unsigned long strtoul(const char *s, char **end, int base) { return (unsigned long)strtoull(s, end, base); }
long strtol(const char *s, char **end, int base) { return (long)strtoull(s, end, base); }
int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }

/* qsort: insertion sort.  Quadratic, but our arrays are small. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;
	char tmp[256];

	if (size > sizeof(tmp))
		return;     /* not needed by anything here */
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		memcpy(tmp, a + i * size, size);
		while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
			memcpy(a + j * size, a + (j - 1) * size, size);
			j--;
		}
		memcpy(a + j * size, tmp, size);
	}
}
