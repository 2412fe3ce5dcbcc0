/*
 * Nodes and lengths by path: mknod and mknodat (regular files, a FIFO, a
 * device node, the umask, Linux's type checks: EPERM for a directory,
 * EINVAL for no type at all), truncate and truncate64 (growing with
 * zeros, shrinking, a negative length, a directory).  (The FIFO is only
 * made here; the fifo test opens them.)
 */
#include "check.h"
#include <sys/stat.h>

#define D "/tmp/nodes-dir"

static void mode_is(const char *path, long mode)
{
	struct stat64 st;
	CHECK_OK(lstat(path, &st));
	CHECK_EQ(st.st_mode, mode);
	CHECK_EQ(st.st_size, 0);
}

static void test_mknod(int dfd)
{
	struct stat64 st;
	CHECK_EQ(syscall(__NR_mknod, D "/reg", S_IFREG | 0666, 0), 0);
	mode_is(D "/reg", S_IFREG | 0644);              /* the umask (022) applies */
	CHECK_EQ(syscall(__NR_mknod, D "/zero", 0640, 0), 0);  /* no type: a regular file */
	mode_is(D "/zero", S_IFREG | 0640);
	CHECK_EQ(syscall(__NR_mknodat, dfd, "rel", S_IFREG | 0600, 0), 0);
	mode_is(D "/rel", S_IFREG | 0600);
	CHECK_EQ(syscall(__NR_mknodat, AT_FDCWD, D "/abs", S_IFREG | 0604, 0), 0);
	mode_is(D "/abs", S_IFREG | 0604);
	CHECK_EQ(umask(077), 022);
	CHECK_EQ(syscall(__NR_mknod, D "/masked", S_IFREG | 0777, 0), 0);
	mode_is(D "/masked", S_IFREG | 0700);
	CHECK_EQ(umask(022), 077);

	CHECK_EQ(syscall(__NR_mknod, D "/fifo", S_IFIFO | 0666, 0), 0);
	mode_is(D "/fifo", S_IFIFO | 0644);
	CHECK_ERR(syscall(__NR_mknod, D "/fifo", S_IFIFO | 0666, 0), EEXIST);
	CHECK_ERR(syscall(__NR_truncate, D "/fifo", 0), EINVAL);   /* not a regular file */

	/* A character device, 1:3 (Linux's /dev/null), in stat's encoding. */
	CHECK_EQ(syscall(__NR_mknod, D "/null", S_IFCHR | 0666, (1 << 8) | 3), 0);
	CHECK_OK(lstat(D "/null", &st));
	CHECK_EQ(st.st_mode, S_IFCHR | 0644);
	CHECK_EQ(st.st_rdev, (1 << 8) | 3);

	CHECK_ERR(syscall(__NR_mknod, D "/reg", S_IFREG | 0644, 0), EEXIST);
	CHECK_ERR(syscall(__NR_mknodat, dfd, "rel", 0644, 0), EEXIST);
	CHECK_ERR(syscall(__NR_mknod, D "/bad", 0170000 | 0644, 0), EINVAL);   /* no such type */
	CHECK_ERR(syscall(__NR_mknod, D "/lnk", S_IFLNK | 0644, 0), EINVAL);
	CHECK_ERR(syscall(__NR_mknod, D "/dir", S_IFDIR | 0755, 0), EPERM);    /* that is mkdir */
	CHECK_ERR(syscall(__NR_mknod, NULL, 0170000, 0), EINVAL);               /* the type first */
	CHECK_ERR(syscall(__NR_mknod, NULL, S_IFREG | 0644, 0), EFAULT);
	CHECK_ERR(syscall(__NR_mknod, "", S_IFREG | 0644, 0), ENOENT);
	CHECK_ERR(syscall(__NR_mknod, D "/none/x", S_IFREG | 0644, 0), ENOENT);
	CHECK_ERR(syscall(__NR_mknod, D "/reg/x", S_IFREG | 0644, 0), ENOTDIR);
	CHECK_ERR(syscall(__NR_mknodat, 999, "x", S_IFREG | 0644, 0), EBADF);
	CHECK_ERR(lstat(D "/bad", &st), ENOENT);
	CHECK_ERR(lstat(D "/dir", &st), ENOENT);
	static const char *made[] = { "reg", "zero", "rel", "abs", "masked", "null", "fifo" };
	for (unsigned i = 0; i < sizeof made / sizeof made[0]; i++)
		CHECK_OK(syscall(__NR_unlinkat, dfd, made[i], 0));
}

static long size_of(const char *path)
{
	struct stat64 st;
	CHECK_OK(stat(path, &st));
	return (long)st.st_size;
}

static void test_truncate(void)
{
	char buf[16];
	int fd;
	CHECK_OK(fd = open(D "/t", O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(syscall(__NR_truncate, D "/t", 5), 0);
	CHECK_EQ(size_of(D "/t"), 5);
	CHECK_EQ(pread64(fd, buf, sizeof buf, 0), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(syscall(__NR_truncate, D "/t", 8192), 0);     /* grows with zeros */
	CHECK_EQ(size_of(D "/t"), 8192);
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(pread64(fd, buf, 8, 3), 8);
	CHECK(!memcmp(buf, "lo\0\0\0\0\0\0", 8));
	CHECK_EQ(pread64(fd, buf, 4, 8190), 2);
	CHECK_EQ(buf[0] | buf[1], 0);
	CHECK_EQ(syscall(__NR_truncate64, D "/t", 3, 0), 0);   /* (path, low word, high word) */
	CHECK_EQ(size_of(D "/t"), 3);
	CHECK_EQ(syscall(__NR_truncate64, D "/t", 4096 + 7, 0), 0);
	CHECK_EQ(size_of(D "/t"), 4103);
	CHECK_EQ(syscall(__NR_truncate, D "/t", 0), 0);
	CHECK_EQ(size_of(D "/t"), 0);
	CHECK_OK(symlink("t", D "/tl"));
	CHECK_EQ(syscall(__NR_truncate, D "/tl", 10), 0);      /* through a link */
	CHECK_EQ(size_of(D "/t"), 10);

	CHECK_ERR(syscall(__NR_truncate, D "/t", -1), EINVAL);
	CHECK_ERR(syscall(__NR_truncate64, D "/t", 0, 0x80000000), EINVAL);
	CHECK_ERR(syscall(__NR_truncate64, D "/t", 0xffffffff, 0xffffffff), EINVAL);
	CHECK_ERR(syscall(__NR_truncate, NULL, -1), EINVAL);    /* the length first */
	CHECK_ERR(syscall(__NR_truncate, D, 0), EISDIR);
	CHECK_ERR(syscall(__NR_truncate64, D, 0, 0), EISDIR);
	CHECK_ERR(syscall(__NR_truncate, D "/none", 0), ENOENT);
	CHECK_ERR(syscall(__NR_truncate, "", 0), ENOENT);
	CHECK_ERR(syscall(__NR_truncate, NULL, 0), EFAULT);
	CHECK_ERR(syscall(__NR_truncate64, (char *)1, 0, 0), EFAULT);
	CHECK_ERR(syscall(__NR_truncate, D "/t/x", 0), ENOTDIR);
	CHECK_EQ(size_of(D "/t"), 10);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(D "/tl"));
	CHECK_OK(unlink(D "/t"));
}

int main(void)
{
	int dfd;
	CHECK_OK(mkdir(D, 0755));
	CHECK_OK(dfd = open(D, O_RDONLY | O_DIRECTORY));
	test_mknod(dfd);
	test_truncate();
	CHECK_OK(close(dfd));
	CHECK_OK(rmdir(D));
	printf("files_nodes: ok\n");
	return 0;
}
