/*
 * mmap2's checks in Linux's order, where a bad call has more than one
 * thing wrong with it: the descriptor of a file mapping is looked up
 * first (EBADF before a zero length, a bad type or a length that wraps),
 * then the length (EINVAL for 0, ENOMEM when rounding wraps), the file
 * offset (EOVERFLOW when offset + length pages wraps), the range of a
 * fixed mapping (ENOMEM before its alignment's EINVAL), MAP_FIXED_NOREPLACE
 * (EEXIST, with MAP_FIXED too), the type (MAP_SHARED_VALIDATE is one
 * only for files, and refuses flags it does not know), and only then the
 * file: its access (EACCES), what it is (a directory: ENODEV), growth.
 * Protection bits mmap does not know it ignores, and O_APPEND does not
 * stop a shared writable mapping.  MAP_HUGETLB: see <lib/mm_rules.h>.
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
	CHECK_ERR(mmap2_(0, 8192, RW, ANON, -1, 0xFFFFFFFFu), EOVERFLOW);   /* the offset, even here */
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0), EINVAL);
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
	CHECK_ERR(mmap2_(0, 0, PROT_READ, MAP_PRIVATE, dir, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 0xFFFFF001u, PROT_READ, MAP_PRIVATE, dir, 0), ENOMEM);
	CHECK_ERR(mmap2_(0x10000001u, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, dir, 0), EINVAL);
	CHECK_ERR(mmap2_(0xBFFFF000u, 8192, PROT_READ, MAP_PRIVATE | MAP_FIXED, dir, 0), ENOMEM);
	CHECK_ERR(mmap2_((uint32_t)at, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, dir, 0), EEXIST);
	CHECK_ERR(mmap2_(0, 4096, PROT_READ, 0, dir, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED, dir, 0), EACCES);    /* read-only: before ENODEV */
	close(dir);
	/* Both FIXED flags: NOREPLACE wins. */
	CHECK_ERR(mmap2_((uint32_t)at, 4096, RW, ANON | MAP_FIXED | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	/* The type before the file's access. */
	int wr = open(path, O_WRONLY);
	CHECK_OK(wr);
	CHECK_ERR(mmap2_(0, 4096, PROT_READ, 0, wr, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 4096, PROT_READ, MAP_PRIVATE, wr, 0), EACCES);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED, wr, 0), EACCES);
	close(wr);
	/* MAP_SHARED_VALIDATE: unknown flags before the access. */
	int ro = open(path, O_RDONLY);
	CHECK_OK(ro);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | 0x400000, ro, 0), EOPNOTSUPP);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE, ro, 0), EACCES);
	CHECK_ERR(mmap2_(0, 4096, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, ro, 0), EINVAL);
	close(ro);
	/* O_APPEND does not stop a shared writable mapping (only the inode's
	 * append-only attribute would). */
	int ap = open(path, O_RDWR | O_APPEND);
	CHECK_OK(ap);
	long m = mmap2_(0, 4096, RW, MAP_SHARED, ap, 0);
	CHECK(m != -1 || (printf("errno %d\n", errno), 0));
	CHECK_OK(munmap((void *)m, 4096));
	/* MAP_SHARED_VALIDATE knows the old flags, not MAP_FIXED_NOREPLACE or MAP_SYNC. */
	m = mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_32BIT | 0x4000000 | MAP_STACK, ap, 0);
	CHECK(m != -1 || (printf("errno %d\n", errno), 0));
	CHECK_OK(munmap((void *)m, 4096));
	CHECK_ERR(mmap2_(0x30000000, 4096, RW, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, ap, 0), EOPNOTSUPP);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_SYNC, ap, 0), EOPNOTSUPP);
	/* MAP_HUGETLB on a file: EINVAL before anything but the descriptor. */
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_PRIVATE | MAP_HUGETLB, ap, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 0xFFFFF001u, RW, MAP_SHARED_VALIDATE | MAP_HUGETLB, ap, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_PRIVATE | MAP_HUGETLB, 999, 0), EBADF);
	close(ap);
	/* Anonymous MAP_HUGETLB: 4 MiB pages, none to be had (Debian's i386
	 * kernel reserves none), so ENOMEM, after checks that see 4 MiB pages. */
#define HUGE (ANON | MAP_HUGETLB)
	CHECK_ERR(mmap2_(0, 4096, RW, HUGE, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0, 4096, RW, HUGE | (22 << 26), -1, 0), ENOMEM);     /* 4 MiB asked for */
	CHECK_ERR(mmap2_(0, 4096, RW, HUGE | (21 << 26), -1, 0), EINVAL);     /* 2 MiB: no such pages */
	CHECK_ERR(mmap2_(0, 4096, RW, HUGE | (30 << 26), -1, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 0, RW, HUGE, -1, 0), EINVAL);
	CHECK_ERR(mmap2_(0, 0xFFFFF001u, RW, HUGE, -1, 0), EINVAL);           /* rounds to 0 */
	CHECK_ERR(mmap2_(0, 0xFFC00000u, RW, HUGE, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0, 8192, RW, HUGE, -1, 0xFFFFFFFFu), EOVERFLOW);
	CHECK_ERR(mmap2_(0x30200000, 4096, RW, HUGE | MAP_FIXED, -1, 0), EINVAL);     /* 2 MiB aligned */
	CHECK_ERR(mmap2_(0xBFFFF000u, 8192, RW, HUGE | MAP_FIXED, -1, 0), EINVAL);    /* alignment first */
	CHECK_ERR(mmap2_(0xBFC00000u, 0x800000, RW, HUGE | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0xFFC00000u, 0x400000, RW, HUGE | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0x30000000, 4096, RW, HUGE | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0x30000000, 4096, RW, HUGE | MAP_FIXED_NOREPLACE, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_ANONYMOUS | MAP_HUGETLB, -1, 0), EINVAL);     /* no type */
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0), ENOMEM);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_SYNC, -1, 0),
	          EOPNOTSUPP);
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0), ENOMEM);
	/* NOREPLACE over a mapping: a 4 MiB aligned one. */
	long big = mmap2_(0, 0x800000, RW, ANON, -1, 0);
	CHECK(big != -1);
	uint32_t aligned = ((uint32_t)big + 0x3FFFFF) & ~0x3FFFFFu;
	CHECK_ERR(mmap2_(aligned, 4096, RW, HUGE | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_OK(munmap((void *)big, 0x800000));
	/* Anonymous: MAP_SHARED_VALIDATE is no type (Linux 6.1); prot bits it
	 * does not know are ignored. */
	CHECK_ERR(mmap2_(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	m = mmap2_(0, 4096, RW | 0x100, ANON, -1, 0);
	CHECK(m != -1 || (printf("errno %d\n", errno), 0));
	CHECK_OK(munmap((void *)m, 4096));
	close(fd);
	CHECK_OK(unlink(path));
	printf("mmap_order: ok\n");
	return 0;
}
