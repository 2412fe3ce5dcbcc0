/*
 * File mappings: private (copy-on-write) and shared (writes reach the file
 * and every other mapper), coherence with read/write, msync, offsets,
 * SIGBUS beyond the end of the file, and the error returns.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>

#define FILE1 "/tmp/mmap-file"
#define SIZE (3 * PAGE + 100)       /* three pages and a bit */
#define RW (PROT_READ | PROT_WRITE)

static char pattern(int i)
{
	return (char)(i * 7 + 3);
}

static int make_file(void)
{
	static char buf[SIZE];
	int fd = open(FILE1, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd);
	for (int i = 0; i < SIZE; i++)
		buf[i] = pattern(i);
	CHECK_EQ(write(fd, buf, SIZE), SIZE);
	return fd;
}

static char file_byte(int fd, int off)
{
	char c = 0;
	CHECK_EQ(pread64(fd, &c, 1, off), 1);
	return c;
}

static void put_byte(int fd, int off, char c)
{
	CHECK_EQ(pwrite64(fd, &c, 1, off), 1);
}

static void test_private(int fd)
{
	char *p = mmap(NULL, SIZE, RW, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	for (int i = 0; i < SIZE; i++)
		CHECK_EQ(p[i], pattern(i));
	for (int i = SIZE; i < 4 * PAGE; i++)
		CHECK_EQ(p[i], 0);                   /* the tail of the last page */

	p[10] = 'P';                                /* our copy only */
	CHECK_EQ(file_byte(fd, 10), pattern(10));

	/* A page we have not written still shows the file, even its changes... */
	put_byte(fd, PAGE + 1, 'W');
	CHECK_EQ(p[PAGE + 1], 'W');
	/* ...but a page we wrote is our own copy now. */
	put_byte(fd, 11, 'V');
	CHECK_EQ(p[11], pattern(11));
	CHECK_EQ(p[10], 'P');
	put_byte(fd, PAGE + 1, pattern(PAGE + 1));     /* put the file back */
	put_byte(fd, 11, pattern(11));

	/* A child's private writes are its own too. */
	pid_t pid = fork();
	if (pid == 0) {
		p[20] = 'C';
		_exit(p[10] == 'P' ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(p[20], pattern(20));
	CHECK_OK(munmap(p, SIZE));
	CHECK_EQ(file_byte(fd, 20), pattern(20));
}

static void test_shared(int fd)
{
	char *p = mmap(NULL, SIZE, RW, MAP_SHARED, fd, 0);
	char *q = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED && p != q);

	p[5] = 'S';
	CHECK_EQ(q[5], 'S');                        /* another mapping of the file */
	CHECK_OK(msync(p, PAGE, MS_SYNC));
	CHECK_EQ(file_byte(fd, 5), 'S');            /* and the file */

	put_byte(fd, 2 * PAGE + 7, 'T');
	CHECK_EQ(p[2 * PAGE + 7], 'T');             /* write() shows in the mapping */

	/* A child writes through its inherited shared mapping. */
	pid_t pid = fork();
	if (pid == 0) {
		p[PAGE + 3] = 'K';
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(p[PAGE + 3], 'K');
	CHECK_OK(msync(p, SIZE, MS_ASYNC));
	CHECK_EQ(file_byte(fd, PAGE + 3), 'K');

	/* The mapping stays valid after the descriptor is closed. */
	int fd2 = dup(fd);
	char *r = mmap(NULL, PAGE, RW, MAP_SHARED, fd2, 0);
	CHECK(r != MAP_FAILED);
	CHECK_OK(close(fd2));
	r[6] = 'D';
	CHECK_OK(munmap(r, PAGE));
	CHECK_EQ(file_byte(fd, 6), 'D');            /* and its writes are kept after munmap */

	CHECK_OK(munmap(p, SIZE));
	CHECK_OK(munmap(q, SIZE));
}

static void test_offset_and_eof(int fd)
{
	/* A mapping from page 1 of the file. */
	char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[0], pattern(PAGE));
	CHECK_EQ(p[PAGE + 50], pattern(2 * PAGE + 50));
	CHECK_OK(munmap(p, 2 * PAGE));

	/* Five pages over a file of 3 pages + 100 bytes: page 3 is partly
	 * file (the rest zeros), page 4 is wholly beyond the end: SIGBUS. */
	p = mmap(NULL, 5 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[3 * PAGE + 99], pattern(3 * PAGE + 99));
	CHECK_EQ(p[3 * PAGE + 100], 0);
	CHECK_EQ(probe(p + 4 * PAGE - 1, 0), 0);
	CHECK_EQ(probe(p + 4 * PAGE, 0), SIGBUS);
	CHECK_OK(munmap(p, 5 * PAGE));

	/* Mapping far beyond the end is allowed; only touching it faults. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100 * PAGE);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(probe(p, 0), SIGBUS);
	CHECK_OK(munmap(p, PAGE));
}

#define MAP_ERR(call, err) do { \
	errno = 0; \
	CHECK((call) == MAP_FAILED); \
	CHECK_EQ(errno, err); \
} while (0)

static void test_errors(void)
{
	int ro = open(FILE1, O_RDONLY), wo = open(FILE1, O_WRONLY), dir = open("/tmp", O_RDONLY);
	CHECK(ro >= 0 && wo >= 0 && dir >= 0);

	MAP_ERR(mmap(NULL, PAGE, RW, MAP_SHARED, ro, 0), EACCES);      /* shared write, read-only fd */
	MAP_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES); /* any map of a write-only fd */
	MAP_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	MAP_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
	MAP_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, ro, 0), EINVAL);

	/* Private writable mapping of a read-only fd is fine: writes stay private. */
	char *p = mmap(NULL, PAGE, RW, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'z';
	CHECK_OK(munmap(p, PAGE));

	/* A shared read-only mapping cannot be made writable through a read-only fd. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, PAGE, RW), EACCES);
	CHECK_EQ(probe(p, 1), SIGSEGV);

	CHECK_ERR(msync(p + 1, PAGE, MS_SYNC), EINVAL);
	CHECK_ERR(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(msync(p, PAGE, 8), EINVAL);
	CHECK_OK(munmap(p, PAGE));
	CHECK_ERR(msync(p, PAGE, MS_SYNC), ENOMEM);     /* nothing mapped there */

	close(ro);
	close(wo);
	close(dir);
}

int main(void)
{
	int fd = make_file();
	test_private(fd);
	test_shared(fd);
	test_offset_and_eof(fd);
	test_errors();
	CHECK_OK(close(fd));
	CHECK_OK(unlink(FILE1));
	return 0;
}
