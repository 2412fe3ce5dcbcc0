/*
 * File systems: statfs, fstatfs, statfs64, fstatfs64.  Only what holds on
 * Linux's root file system in the oracle (tmpfs, an initramfs) and on
 * ours (ramfs) is asserted: a RAM file system of 4 KiB blocks and
 * 255-byte names, the same answer by path and by descriptor and in both
 * widths, ST_VALID; /proc is procfs.  Then the errors.
 */
#include "check.h"
#include <sys/stat.h>

#define F "/tmp/statfs-file"
#define TMPFS_MAGIC      0x01021994
#define RAMFS_MAGIC      0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0
#define ST_VALID         0x0020

struct statfs32 {
	uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};

struct statfs64 {
	uint32_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
} __attribute__((packed, aligned(4)));

_Static_assert(sizeof(struct statfs32) == 64, "statfs");
_Static_assert(sizeof(struct statfs64) == 84, "statfs64");

/* The two widths say the same thing. */
static void same(const struct statfs32 *a, const struct statfs64 *b)
{
	CHECK_EQ(a->f_type, b->f_type);
	CHECK_EQ(a->f_bsize, b->f_bsize);
	CHECK_EQ(a->f_blocks, b->f_blocks);
	CHECK_EQ(a->f_fsid[0], b->f_fsid[0]);
	CHECK_EQ(a->f_fsid[1], b->f_fsid[1]);
	CHECK_EQ(a->f_namelen, b->f_namelen);
	CHECK_EQ(a->f_frsize, b->f_frsize);
	CHECK_EQ(a->f_flags, b->f_flags);
}

static void test_root(int fd)
{
	struct statfs32 s, t;
	struct statfs64 w, x;
	memset(&s, 0x55, sizeof s);
	CHECK_EQ(syscall(__NR_statfs, "/", &s), 0);
	CHECK(s.f_type == TMPFS_MAGIC || s.f_type == RAMFS_MAGIC);
	CHECK_EQ(s.f_bsize, 4096);
	CHECK_EQ(s.f_frsize, 4096);
	CHECK_EQ(s.f_namelen, 255);
	CHECK(s.f_flags & ST_VALID);
	CHECK(s.f_bfree <= s.f_blocks && s.f_bavail <= s.f_blocks);

	memset(&w, 0x55, sizeof w);
	CHECK_EQ(syscall(__NR_statfs64, "/", sizeof w, &w), 0);
	same(&s, &w);

	/* A file on it, by path and by descriptor. */
	CHECK_EQ(syscall(__NR_statfs, F, &t), 0);
	CHECK_EQ(t.f_type, s.f_type);
	CHECK_EQ(t.f_fsid[0], s.f_fsid[0]);
	CHECK_EQ(t.f_fsid[1], s.f_fsid[1]);
	memset(&t, 0x55, sizeof t);
	CHECK_EQ(syscall(__NR_fstatfs, fd, &t), 0);
	CHECK_EQ(t.f_type, s.f_type);
	CHECK_EQ(t.f_fsid[0], s.f_fsid[0]);
	CHECK_EQ(t.f_namelen, 255);
	memset(&x, 0x55, sizeof x);
	CHECK_EQ(syscall(__NR_fstatfs64, fd, sizeof x, &x), 0);
	same(&t, &x);
	CHECK_EQ(syscall(__NR_statfs64, F, sizeof x, &x), 0);
	same(&t, &x);
}

static void test_proc(void)
{
	struct statfs32 s;
	struct statfs64 w;
	int fd;
	CHECK_EQ(syscall(__NR_statfs, "/proc", &s), 0);
	CHECK_EQ(s.f_type, PROC_SUPER_MAGIC);
	CHECK_EQ(syscall(__NR_statfs64, "/proc/self/stat", sizeof w, &w), 0);
	CHECK_EQ(w.f_type, PROC_SUPER_MAGIC);
	CHECK_OK(fd = open("/proc/self/stat", O_RDONLY));
	CHECK_EQ(syscall(__NR_fstatfs, fd, &s), 0);
	CHECK_EQ(s.f_type, PROC_SUPER_MAGIC);
	CHECK_EQ(syscall(__NR_fstatfs64, fd, sizeof w, &w), 0);
	CHECK_EQ(w.f_type, PROC_SUPER_MAGIC);
	CHECK_OK(close(fd));
	CHECK_ERR(syscall(__NR_statfs, "/proc/no-such-file", &s), ENOENT);
}

static void test_errors(int fd)
{
	struct statfs32 s;
	struct statfs64 w;
	int p[2];
	CHECK_ERR(syscall(__NR_statfs, "/tmp/no-such-file", &s), ENOENT);
	CHECK_ERR(syscall(__NR_statfs, "", &s), ENOENT);
	CHECK_ERR(syscall(__NR_statfs, NULL, &s), EFAULT);
	CHECK_ERR(syscall(__NR_statfs, "/", (void *)1), EFAULT);
	CHECK_ERR(syscall(__NR_statfs, F "/x", &s), ENOTDIR);
	CHECK_ERR(syscall(__NR_fstatfs, 999, &s), EBADF);
	CHECK_ERR(syscall(__NR_fstatfs, fd, (void *)1), EFAULT);
	/* statfs64's size must be the struct's: checked first. */
	CHECK_ERR(syscall(__NR_statfs64, "/", 88, &w), EINVAL);
	CHECK_ERR(syscall(__NR_statfs64, "/", 64, &w), EINVAL);
	CHECK_ERR(syscall(__NR_statfs64, NULL, 83, &w), EINVAL);
	CHECK_ERR(syscall(__NR_fstatfs64, fd, 0, &w), EINVAL);
	CHECK_ERR(syscall(__NR_fstatfs64, 999, 85, &w), EINVAL);
	CHECK_ERR(syscall(__NR_fstatfs64, 999, sizeof w, &w), EBADF);
	CHECK_ERR(syscall(__NR_statfs64, "/tmp/no-such-file", sizeof w, &w), ENOENT);
	CHECK_ERR(syscall(__NR_statfs64, "/", sizeof w, (void *)1), EFAULT);
	/* A pipe has a file system too. */
	CHECK_OK(pipe(p));
	CHECK_EQ(syscall(__NR_fstatfs, p[0], &s), 0);
	CHECK_EQ(s.f_bsize, 4096);
	CHECK_EQ(syscall(__NR_fstatfs64, p[1], sizeof w, &w), 0);
	same(&s, &w);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
}

int main(void)
{
	int fd;
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	test_root(fd);
	test_proc();
	test_errors(fd);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(F));
	printf("attr_statfs: ok\n");
	return 0;
}
