/*
 * mremap, as Linux 6.1 has it: shrinking in place, growing in place when
 * the addresses after the area are free, moving with MREMAP_MAYMOVE (the
 * pages themselves move: contents, file offsets and sharing stay), moving
 * to a fixed place with MREMAP_FIXED (replacing what was there), leaving
 * the old area mapped and empty with MREMAP_DONTUNMAP, duplicating a
 * shared mapping with old_len 0; and the errors in Linux's order.
 *
 * Whether a range is mapped is asked with msync, which says ENOMEM for an
 * unmapped page and touches nothing.
 */
#include "check.h"
#include <fcntl.h>
#include <stdarg.h>
#include <sys/mman.h>

#define P 4096
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* As glibc's mremap: new_addr only with MREMAP_FIXED or MREMAP_DONTUNMAP. */
static long remap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	long r = raw_syscall6(__NR_mremap, (long)old, (long)old_len, (long)new_len, flags,
	                      (long)new_addr, 0);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static int mapped(void *p, size_t len)
{
	return msync(p, len, MS_ASYNC) == 0;
}

/* n pages of anonymous memory with nothing mapped after them. */
static char *map_with_room(int n, int room)
{
	char *p = mmap(NULL, (n + room) * P, RW, ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	if (room)
		CHECK_OK(munmap(p + n * P, room * P));
	return p;
}

static void fill(char *p, int pages, char base)
{
	for (int i = 0; i < pages; i++)
		p[i * P] = p[i * P + P - 1] = (char)(base + i);
}

static void check_fill(const char *p, int pages, char base)
{
	for (int i = 0; i < pages; i++) {
		CHECK_EQ(p[i * P], (char)(base + i));
		CHECK_EQ(p[i * P + P - 1], (char)(base + i));
	}
}

static void test_in_place(void)
{
	char *p = map_with_room(2, 2);
	fill(p, 2, 'a');
	CHECK_EQ(remap(p, 2 * P, 4 * P, 0), (long)p);          /* grows where it is */
	check_fill(p, 2, 'a');
	CHECK_EQ(p[3 * P], 0);                                  /* new pages are zero */
	p[3 * P] = 'z';
	CHECK_EQ(remap(p, 4 * P, P + 1, 0), (long)p);           /* shrinks to 2 pages */
	CHECK(mapped(p, 2 * P));
	CHECK(!mapped(p + 2 * P, P));
	CHECK_EQ(remap(p, 2 * P, 2 * P, 0), (long)p);           /* the same size: nothing */
	check_fill(p, 2, 'a');
	CHECK_OK(munmap(p, 2 * P));
}

static void test_move(void)
{
	char *p = map_with_room(2, 1);
	char *after = mmap(p + 2 * P, P, RW, ANON | MAP_FIXED, -1, 0);
	CHECK(after == p + 2 * P);
	fill(p, 2, 'm');
	CHECK_ERR(remap(p, 2 * P, 3 * P, 0), ENOMEM);          /* in the way, may not move */
	check_fill(p, 2, 'm');
	char *q = (char *)remap(p, 2 * P, 3 * P, MREMAP_MAYMOVE);
	CHECK(q != (char *)-1 && q != p);
	check_fill(q, 2, 'm');                                  /* the pages came along */
	CHECK_EQ(q[2 * P], 0);
	CHECK(!mapped(p, P) && !mapped(p + P, P));              /* and left */
	CHECK(mapped(after, P));

	/* MREMAP_FIXED: to a chosen place, replacing what is there. */
	after[0] = 'x';
	char *r = (char *)remap(q, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, p + P);
	CHECK(r == p + P);                                      /* over the old "after" page */
	check_fill(r, 2, 'm');
	CHECK(!mapped(p, P));
	CHECK(!mapped(q, 2 * P));
	CHECK(mapped(q + 2 * P, P));                            /* the third page stayed */
	CHECK_OK(munmap(q + 2 * P, P));
	CHECK_OK(munmap(r, 2 * P));
}

static void test_dontunmap(void)
{
	char *p = map_with_room(2, 0);
	fill(p, 2, 'd');
	char *q = (char *)remap(p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	CHECK(q != (char *)-1 && q != p);
	check_fill(q, 2, 'd');
	CHECK(mapped(p, 2 * P));                                /* still mapped... */
	CHECK_EQ(p[0], 0);                                      /* ...and empty */
	CHECK_EQ(p[P], 0);
	CHECK_OK(munmap(p, 2 * P));
	CHECK_OK(munmap(q, 2 * P));
}

static void test_shared(void)
{
	char *s = mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(s != MAP_FAILED);
	s[0] = 's';
	char *dup = (char *)remap(s, 0, P, MREMAP_MAYMOVE);    /* old_len 0: a second view */
	CHECK(dup != (char *)-1 && dup != s);
	CHECK_EQ(dup[0], 's');
	dup[1] = 't';
	CHECK_EQ(s[1], 't');
	CHECK(mapped(s, P));
	CHECK_OK(munmap(dup, P));
	char *priv = mmap(NULL, P, RW, ANON, -1, 0);
	CHECK_ERR(remap(priv, 0, P, MREMAP_MAYMOVE), EINVAL);   /* nothing to duplicate */
	CHECK_OK(munmap(priv, P));
	CHECK_OK(munmap(s, P));
}

/* A file mapping moved and grown keeps its offsets: new pages come from
 * the file where they belong. */
static void test_file(void)
{
	const char *path = "/tmp/mremap-file";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (int i = 0; i < 4; i++) {
		char page[P];
		memset(page, 'A' + i, P);
		CHECK_EQ(write(fd, page, P), P);
	}
	/* File pages 1 and 2, and after them a page of ours in the way. */
	char *m = mmap(NULL, 3 * P, PROT_READ, MAP_PRIVATE, fd, P);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], 'B');
	char *block = mmap(m + 2 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0);
	CHECK(block == m + 2 * P);
	char *g = (char *)remap(m, 2 * P, 3 * P, MREMAP_MAYMOVE);
	CHECK(g != (char *)-1 && g != m);
	CHECK_EQ(g[0], 'B');
	CHECK_EQ(g[P], 'C');
	CHECK_EQ(g[2 * P], 'D');                                /* file page 3 */
	CHECK_OK(munmap(g, 3 * P));
	CHECK_OK(munmap(block, P));
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
}

static void test_errors(void)
{
	char *p = map_with_room(2, 1);
	char *next = mmap(p + 2 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0);
	CHECK(next == p + 2 * P);
	CHECK_ERR(remap(p, P, P, 8), EINVAL);                   /* an unknown flag */
	CHECK_ERR(remap(p, P, 2 * P, MREMAP_FIXED, p + 8 * P), EINVAL);   /* FIXED without MAYMOVE */
	CHECK_ERR(remap(p, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP), EINVAL);  /* a resize */
	CHECK_ERR(remap(p, P, P, MREMAP_DONTUNMAP), EINVAL);    /* DONTUNMAP without MAYMOVE */
	CHECK_ERR(remap(p + 1, P, P, 0), EINVAL);               /* unaligned */
	CHECK_ERR(remap(p, P, 0, 0), EINVAL);                   /* to nothing */
	CHECK_ERR(remap(p, P, 0xfffff001u, MREMAP_MAYMOVE), EINVAL);     /* rounds up to 0 */
	CHECK_ERR(remap(p + 3 * P, P, 2 * P, MREMAP_MAYMOVE), EFAULT);   /* nothing there */
	CHECK_ERR(remap(p, 3 * P, 4 * P, MREMAP_MAYMOVE), EFAULT);       /* across two areas */
	CHECK_ERR(remap(p, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, p + 8 * P + 1), EINVAL);
	CHECK_ERR(remap(p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, p + P), EINVAL);   /* overlap */
	CHECK_ERR(remap(p, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)0xc0000000), EINVAL);  /* kernel */
	CHECK(mapped(p, 3 * P));                                /* nothing changed */
	CHECK_EQ(remap(p, 3 * P, P, 0), (long)p);               /* shrinking may span areas */
	CHECK(!mapped(p + P, P) && !mapped(next, P));
	CHECK_OK(munmap(p, P));
}

int main(void)
{
	test_in_place();
	test_move();
	test_dontunmap();
	test_shared();
	test_file();
	test_errors();
	return 0;
}
