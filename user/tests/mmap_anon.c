/*
 * Anonymous mmap, munmap and mprotect: placement, zero fill, MAP_FIXED,
 * splitting by partial munmap and mprotect, sharing across fork, and the
 * error returns.  Faults are observed with probe() (check.h).
 */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static char *map(void *hint, size_t len, int prot, int flags)
{
	return mmap(hint, len, prot, flags, -1, 0);
}

static void test_basic(void)
{
	char *p = map(NULL, 3 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_EQ((unsigned long)p % PAGE, 0);
	CHECK((unsigned long)p < 0xc0000000);
	for (int i = 0; i < 3 * PAGE; i++)
		CHECK_EQ(p[i], 0);
	memset(p, 'a', 3 * PAGE);
	CHECK_EQ(p[3 * PAGE - 1], 'a');
	CHECK_OK(munmap(p, 3 * PAGE));
	CHECK_EQ(probe(p, 0), SIGSEGV);
	CHECK_EQ(probe(p + 2 * PAGE, 0), SIGSEGV);

	/* A length that is not a page multiple maps whole pages. */
	p = map(NULL, 5000, RW, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(probe(p + 2 * PAGE - 1, 1), 0);
	CHECK_OK(munmap(p, 5000));

	/* A free hint address is honoured. */
	char *hint = p;
	p = map(hint, PAGE, RW, ANON);
	CHECK(p == hint);
	CHECK_OK(munmap(p, PAGE));

	/* PROT_NONE: reserved, but any access faults. */
	p = map(NULL, PAGE, PROT_NONE, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(probe(p, 0), SIGSEGV);
	CHECK_OK(munmap(p, PAGE));

	/* Read-only: reads give zeros, writes fault. */
	p = map(NULL, PAGE, PROT_READ, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[100], 0);
	CHECK_EQ(probe(p, 1), SIGSEGV);
	CHECK_OK(munmap(p, PAGE));
}

static void test_munmap_split(void)
{
	char *p = map(NULL, 5 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	for (int i = 0; i < 5; i++)
		p[i * PAGE] = (char)('0' + i);

	CHECK_OK(munmap(p + PAGE, PAGE));           /* a hole in the middle */
	CHECK_EQ(probe(p + PAGE, 0), SIGSEGV);
	CHECK_EQ(p[0], '0');
	CHECK_EQ(p[2 * PAGE], '2');
	CHECK_EQ(p[4 * PAGE], '4');

	CHECK_OK(munmap(p + 4 * PAGE, 100));        /* the last page; length rounds up */
	CHECK_EQ(probe(p + 4 * PAGE + 200, 0), SIGSEGV);
	CHECK_EQ(p[3 * PAGE], '3');

	CHECK_OK(munmap(p + PAGE, PAGE));           /* already unmapped: fine */
	CHECK_OK(munmap(p, 4 * PAGE));              /* across the hole */
	CHECK_EQ(probe(p, 0), SIGSEGV);
	CHECK_EQ(probe(p + 2 * PAGE, 0), SIGSEGV);
	CHECK_EQ(probe(p + 3 * PAGE, 0), SIGSEGV);
}

static void test_mprotect_split(void)
{
	char *p = map(NULL, 4 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	memset(p, 'x', 4 * PAGE);

	CHECK_OK(mprotect(p + PAGE, 2 * PAGE, PROT_READ));
	CHECK_EQ(probe(p, 1), 0);
	CHECK_EQ(probe(p + PAGE, 1), SIGSEGV);
	CHECK_EQ(probe(p + 2 * PAGE + 10, 1), SIGSEGV);
	CHECK_EQ(probe(p + 2 * PAGE, 0), 0);
	CHECK_EQ(probe(p + 3 * PAGE, 1), 0);
	CHECK_EQ(p[PAGE], 'x');                     /* contents stay */

	CHECK_OK(mprotect(p + 2 * PAGE, PAGE, PROT_NONE));
	CHECK_EQ(probe(p + 2 * PAGE, 0), SIGSEGV);
	CHECK_EQ(probe(p + PAGE, 0), 0);

	CHECK_OK(mprotect(p, 4 * PAGE, RW));        /* merge back */
	for (int i = 0; i < 4; i++)
		CHECK_EQ(probe(p + i * PAGE, 1), 0);
	CHECK_EQ(p[2 * PAGE + 5], 'x');

	CHECK_OK(mprotect(p, 0, PROT_READ));        /* zero length: nothing, fine */
	CHECK_EQ(probe(p, 1), 0);

	/* munmap of part of a protected region. */
	CHECK_OK(mprotect(p, 2 * PAGE, PROT_READ));
	CHECK_OK(munmap(p + PAGE, 2 * PAGE));
	CHECK_EQ(probe(p, 0), 0);
	CHECK_EQ(probe(p, 1), SIGSEGV);
	CHECK_EQ(probe(p + 3 * PAGE, 1), 0);
	CHECK_OK(munmap(p, 4 * PAGE));
}

static void test_fixed(void)
{
	char *p = map(NULL, 4 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	memset(p, 'A', 4 * PAGE);

	/* MAP_FIXED replaces what was there. */
	char *q = map(p + PAGE, 2 * PAGE, RW, ANON | MAP_FIXED);
	CHECK(q == p + PAGE);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(q[2 * PAGE - 1], 0);
	CHECK_EQ(p[0], 'A');
	CHECK_EQ(p[3 * PAGE], 'A');

	/* MAP_FIXED_NOREPLACE refuses to. */
	CHECK(map(p + PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE) == MAP_FAILED);
	CHECK_EQ(errno, EEXIST);
	CHECK(map(p, 8 * PAGE, RW, ANON | MAP_FIXED_NOREPLACE) == MAP_FAILED);
	CHECK_EQ(errno, EEXIST);
	CHECK_OK(munmap(p, 4 * PAGE));
	q = map(p + PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE);
	CHECK(q == p + PAGE);
	CHECK_OK(munmap(q, PAGE));
}

static void test_shared_fork(void)
{
	int *sh = (int *)map(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);
	int *pr = (int *)map(NULL, PAGE, RW, ANON);
	int p[2];
	char c;

	CHECK(sh != MAP_FAILED && pr != MAP_FAILED);
	*sh = 1;
	*pr = 1;
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		close(p[1]);
		if (*sh != 1 || *pr != 1)
			_exit(2);
		*sh = 2;                    /* the parent sees this one */
		*pr = 2;                    /* not this one */
		if (read(p[0], &c, 1) != 1)
			_exit(3);
		_exit(*sh == 3 ? 0 : 4);    /* and we see the parent's */
	}
	close(p[0]);
	while (*(volatile int *)sh != 2)
		sched_yield();
	CHECK_EQ(*pr, 1);
	*sh = 3;
	CHECK_EQ(write(p[1], "g", 1), 1);
	close(p[1]);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(*sh, 3);

	/* The mapping outlives the child; and unmapping in the parent is ours only. */
	CHECK_OK(munmap(sh, PAGE));
	CHECK_OK(munmap(pr, PAGE));
}

static void test_errors(void)
{
	char *p = map(NULL, 2 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);

#define MAP_ERR(call, err) do { \
	errno = 0; \
	CHECK((call) == MAP_FAILED); \
	CHECK_EQ(errno, err); \
} while (0)
	MAP_ERR(map(NULL, 0, RW, ANON), EINVAL);                    /* zero length */
	MAP_ERR(map(NULL, PAGE, RW, MAP_ANONYMOUS), EINVAL);        /* neither shared nor private */
	MAP_ERR(map(p + 1, PAGE, RW, ANON | MAP_FIXED), EINVAL);    /* unaligned fixed address */
	MAP_ERR(mmap(NULL, PAGE, RW, MAP_PRIVATE, -1, 0), EBADF);   /* a file mapping without a file */
	MAP_ERR(mmap(NULL, PAGE, RW, MAP_PRIVATE, 1000, 0), EBADF);
	MAP_ERR(map(NULL, 0xfffff001u, RW, ANON), ENOMEM);          /* rounds up past 4 GiB */
	MAP_ERR(map(NULL, 0xc0000000u, RW, ANON), ENOMEM);          /* more than there is */
	MAP_ERR(map((void *)0xc0000000, PAGE, RW, ANON | MAP_FIXED), ENOMEM);   /* kernel space */
	MAP_ERR(map((void *)0xbffff000, 2 * PAGE, RW, ANON | MAP_FIXED), ENOMEM);

	CHECK_ERR(munmap(p + 1, PAGE), EINVAL);
	CHECK_ERR(munmap(p, 0), EINVAL);
	CHECK_ERR(munmap((void *)0xc0000000, PAGE), EINVAL);
	CHECK_ERR(mprotect(p + 1, PAGE, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, PAGE, 0x10), EINVAL);                 /* unknown protection bit */
	CHECK_OK(munmap(p + PAGE, PAGE));
	CHECK_ERR(mprotect(p, 2 * PAGE, PROT_READ), ENOMEM);        /* runs into a hole */
	CHECK_ERR(mprotect(p + PAGE, PAGE, PROT_READ), ENOMEM);     /* nothing there */
	CHECK_OK(munmap(p, PAGE));
}

/* PROT_GROWSDOWN and PROT_GROWSUP (Linux 6.1's do_mprotect_pkey): the first
 * area ending above addr decides.  With GROWSDOWN it must grow down (the
 * main stack does; an mmap'd area does not: EINVAL) and the range then
 * reaches down to its start; i386 has no area that grows up (EINVAL); an
 * address below that area is ENOMEM either way, as without the flags. */
static void test_mprotect_grows(void)
{
	char *p = map(NULL, 2 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p + PAGE, PAGE, PROT_READ | PROT_GROWSDOWN), EINVAL);
	CHECK_ERR(mprotect(p, PAGE, PROT_READ | PROT_GROWSUP), EINVAL);
	CHECK_ERR(mprotect(p, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL);
	CHECK_ERR(mprotect(p + 1, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL); /* before alignment */
	p[PAGE] = 7;                                /* all refused: still writable */
	CHECK_OK(munmap(p, PAGE));
	CHECK_ERR(mprotect(p, PAGE, PROT_READ | PROT_GROWSUP), ENOMEM);         /* below the area */
	CHECK_OK(munmap(p + PAGE, PAGE));

	volatile char on_stack[64];
	char *page = (char *)((uintptr_t)on_stack & ~(uintptr_t)(PAGE - 1));
	CHECK_OK(mprotect(page, PAGE, RW | PROT_GROWSDOWN));                    /* the stack grows down */
	on_stack[0] = 1;
	CHECK_EQ(on_stack[0], 1);
}

/* The areas /proc/self/maps lists in [lo, hi). */
static int areas_in(char *lo, char *hi)
{
	static char text[16384];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	CHECK(fd >= 0);
	ssize_t len = 0, r;
	while ((r = read(fd, text + len, sizeof text - 1 - len)) > 0)
		len += r;
	close(fd);
	text[len] = 0;
	for (char *line = text; *line; line = strchr(line, '\n') + 1) {
		unsigned long start = strtoul(line, NULL, 16), end = strtoul(strchr(line, '-') + 1, NULL, 16);
		n += start < (unsigned long)hi && end > (unsigned long)lo;
		if (!strchr(line, '\n'))
			break;
	}
	return n;
}

/* Areas that continue each other are one, as Linux keeps them: mappings
 * made side by side, and the pieces mprotect cut once they agree again. */
static void test_merging(void)
{
	char *p = map(NULL, 4 * PAGE, RW, ANON);
	CHECK(p != MAP_FAILED);
	CHECK_OK(munmap(p, 4 * PAGE));
	for (int i = 0; i < 4; i++)                     /* page by page */
		CHECK(map(p + i * PAGE, PAGE, RW, ANON | MAP_FIXED) == p + i * PAGE);
	CHECK_EQ(areas_in(p, p + 4 * PAGE), 1);
	CHECK_OK(mprotect(p + PAGE, PAGE, PROT_READ));
	CHECK_EQ(areas_in(p, p + 4 * PAGE), 3);
	CHECK_OK(mprotect(p + 2 * PAGE, PAGE, PROT_READ));
	CHECK_EQ(areas_in(p, p + 4 * PAGE), 3);         /* rw, r r, rw */
	CHECK_OK(mprotect(p, 4 * PAGE, RW));
	CHECK_EQ(areas_in(p, p + 4 * PAGE), 1);
	CHECK_OK(munmap(p, 4 * PAGE));
}

/* Many small mappings: the kernel must keep and drop them all. */
static void test_many(void)
{
	char *maps[64];
	for (int i = 0; i < 64; i++) {
		maps[i] = map(NULL, PAGE * (1 + i % 3), RW, ANON);
		CHECK(maps[i] != MAP_FAILED);
		maps[i][0] = (char)i;
	}
	for (int i = 0; i < 64; i++) {
		CHECK_EQ(maps[i][0], (char)i);
		CHECK_OK(munmap(maps[i], PAGE * (1 + i % 3)));
	}
}

int main(void)
{
	test_basic();
	test_munmap_split();
	test_mprotect_split();
	test_mprotect_grows();
	test_merging();
	test_fixed();
	test_shared_fork();
	test_errors();
	test_many();
	return 0;
}
