/*
 * The old i386 mmap (90): its six arguments in a struct in memory, the
 * offset in bytes (a whole number of pages, else EINVAL).  Anonymous,
 * file at an offset, MAP_FIXED; the struct unreadable is EFAULT; the
 * rest of the checks are mmap2's.
 */
#include "check.h"
#include <sys/mman.h>

#define F "/tmp/mmap-old"
#define PAGE 4096

/* A mapping's address may be above 2 GiB: only -1 is failure. */
#define MAPPED(call) do { errno = 0; CHECK((call) != -1 || !errno); } while (0)

struct mmap_arg { uint32_t addr, len, prot, flags, fd, offset; };

static long old_mmap(uint32_t addr, uint32_t len, int prot, int flags, int fd, uint32_t off)
{
	struct mmap_arg a = { addr, len, (uint32_t)prot, (uint32_t)flags, (uint32_t)fd, off };
	return syscall(__NR_mmap, &a);
}

int main(void)
{
	char page[PAGE];
	int fd;
	long r;

	/* Anonymous memory: zeroed, writable, unmapped with munmap. */
	MAPPED(r = old_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *p = (char *)r;
	CHECK_EQ((uintptr_t)p % PAGE, 0);
	CHECK_EQ(p[0] | p[2 * PAGE - 1], 0);
	p[0] = 'x';
	p[2 * PAGE - 1] = 'y';
	CHECK_EQ(p[0], 'x');

	/* MAP_FIXED over the second page. */
	CHECK_EQ(old_mmap((uint32_t)(uintptr_t)p + PAGE, PAGE, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), (long)(p + PAGE));
	CHECK_EQ(p[2 * PAGE - 1], 0);                   /* a fresh page */
	CHECK_EQ(p[0], 'x');
	CHECK_OK(munmap(p, 2 * PAGE));

	/* A file at an offset in bytes. */
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	for (int i = 0; i < 3; i++) {
		memset(page, 'a' + i, PAGE);
		CHECK_EQ(write(fd, page, PAGE), PAGE);
	}
	MAPPED(r = old_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE));
	p = (char *)r;
	CHECK_EQ(p[0], 'c');
	CHECK_EQ(p[PAGE - 1], 'c');
	CHECK_OK(munmap(p, PAGE));
	MAPPED(r = old_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE));
	p = (char *)r;
	CHECK_EQ(p[0], 'b');
	CHECK_EQ(p[PAGE], 'c');
	CHECK_OK(munmap(p, 2 * PAGE));

	/* Errors. */
	CHECK_ERR(old_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);   /* not a page */
	CHECK_ERR(old_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE + 1), EINVAL);
	CHECK_ERR(old_mmap(0, PAGE, PROT_READ, MAP_SHARED, 999, 1), EINVAL);    /* that first */
	CHECK_ERR(old_mmap(0, PAGE, PROT_READ, MAP_SHARED, 999, 0), EBADF);
	CHECK_ERR(old_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(old_mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);  /* no type */
	CHECK_ERR(syscall(__NR_mmap, (void *)1), EFAULT);
	CHECK_ERR(syscall(__NR_mmap, NULL), EFAULT);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(F));
	printf("mmap_old: ok\n");
	return 0;
}
