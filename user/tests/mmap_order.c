/*
 * mmap2's checks in Linux's order, where a bad call has more than one
 * thing wrong with it: the descriptor of a file mapping is looked up
 * first (EBADF before a zero length, a bad type or a length that wraps),
 * then the length (EINVAL for 0, ENOMEM when rounding wraps), the file
 * offset (EOVERFLOW when offset + length pages wraps), the range of a
 * fixed mapping (ENOMEM before its alignment's EINVAL), MAP_FIXED_NOREPLACE
 * (EEXIST), and the type.  (A directory is ENODEV; the host looks at the
 * file before the length and range, Linux after: not checked here.)
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static long mmap2_(uint32_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff)
{
	return __syscall_ret(__syscall6(__NR_mmap2, addr, len, prot, flags, fd, pgoff));
}

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

int main(void)
{
	/* A bad descriptor first. */
	CHECK_ERR(mmap2_(0, 0, RW, MAP_PRIVATE, -1, 0), EBADF);
	CHECK_ERR(mmap2_(0, 4096, RW, 0, 999, 0), EBADF);
	CHECK_ERR(mmap2_(0, 0xFFFFF001u, RW, MAP_SHARED, 999, 0), EBADF);
	CHECK_ERR(mmap2_(0x1001, 4096, RW, MAP_PRIVATE | MAP_FIXED, -1, 0), EBADF);

	char path[64];
	snprintf(path, sizeof path, "/tmp/mmap_order.%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "x", 1), 1);
	/* The length, then the offset, then the range. */
	CHECK_ERR(mmap2_(0, 0, RW, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 0xFFFFF001u, RW, MAP_SHARED, fd, 0), ENOMEM);
	CHECK_ERR(mmap2_(0, 8192, RW, MAP_SHARED, fd, 0xFFFFFFFFu), EOVERFLOW);
	CHECK_ERR(mmap2_(0, 0x2000, RW, MAP_PRIVATE, fd, 0xFFFFFFFEu), EOVERFLOW);
	CHECK_ERR(mmap2_(0xBFFFF001u, 8192, RW, MAP_PRIVATE | MAP_FIXED, fd, 0), ENOMEM);
	CHECK_ERR(mmap2_(0x10000001u, 4096, RW, MAP_PRIVATE | MAP_FIXED, fd, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 4096, RW, 0, fd, 0), EINVAL);      /* no type */
	/* Anonymous: the range before the alignment, both before the type. */
	CHECK_ERR(mmap2_(0xC0000001u, 4096, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0xBFFFF000u, 8192, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0x10000001u, 4096, RW, ANON | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(mmap2_(0x10000001u, 4096, RW, MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_ANONYMOUS, -1, 0), EINVAL);
	/* MAP_FIXED_NOREPLACE over a mapping: EEXIST, after the alignment. */
	long at = mmap2_(0, 8192, RW, ANON, -1, 0);
	CHECK(at != -1);
	CHECK_ERR(mmap2_((uint32_t)at, 4096, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_ERR(mmap2_((uint32_t)at + 1, 4096, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EINVAL);
	CHECK_ERR(mmap2_((uint32_t)at, 4096, RW, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0), EEXIST);
	/* A directory: ENODEV, but only once the rest is right. */
	int dir = open("/", O_RDONLY);
	CHECK_OK(dir);
	CHECK_ERR(mmap2_(0, 4096, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
	close(dir);
	close(fd);
	CHECK_OK(unlink(path));
	printf("mmap_order: ok\n");
	return 0;
}
