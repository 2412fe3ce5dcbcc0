/*
 * stat64, lstat64, fstat64, fstatat64 and statx: types, modes (with the
 * umask), sizes, link counts, inode numbers, device numbers; errors.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>

#define D "/tmp/stat-dir"
#define F D "/file"

static void test_file(void)
{
	struct stat64 st, st2;
	int fd;

	memset(&st, 0xaa, sizeof(st));
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0666));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0644);           /* 0666 & ~umask 022 */
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	CHECK(st.st_ino != 0);
	CHECK_EQ(st.__st_ino, (uint32_t)st.st_ino);
	CHECK(st.st_blksize > 0);
	CHECK_EQ(st.st_rdev, 0);

	CHECK_EQ(write(fd, "twelve bytes", 12), 12);
	CHECK_OK(stat(F, &st2));
	CHECK_EQ(st2.st_size, 12);
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_EQ(st2.st_dev, st.st_dev);
	CHECK_OK(lstat(F, &st2));
	CHECK_EQ(st2.st_ino, st.st_ino);
	CHECK_OK(close(fd));

	/* Creation modes go through the umask. */
	CHECK_EQ(umask(077), 022);
	CHECK_OK(fd = open(D "/private", O_RDWR | O_CREAT, 0666));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(umask(022), 077);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(D "/private"));
	CHECK_OK(fd = open(D "/exec", O_RDWR | O_CREAT, 0755));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(D "/exec"));
}

static void test_dirs(void)
{
	struct stat64 st;

	CHECK_OK(stat(D, &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0750);
	CHECK_EQ(st.st_nlink, 2);                       /* its name and its "." */
	CHECK_OK(mkdir(D "/a", 0777));
	CHECK_OK(mkdir(D "/b", 0700));
	CHECK_OK(stat(D, &st));
	CHECK_EQ(st.st_nlink, 4);                       /* plus each child's ".." */
	CHECK_OK(stat(D "/a", &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_OK(rmdir(D "/a"));
	CHECK_OK(rmdir(D "/b"));
	CHECK_OK(stat(D, &st));
	CHECK_EQ(st.st_nlink, 2);

	struct stat64 a, b;
	CHECK_OK(stat(D "/.", &a));
	CHECK_OK(stat(D, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_OK(stat("/tmp/stat-dir/../stat-dir", &a));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_OK(stat("/", &a));
	CHECK_OK(stat("/..", &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK(S_ISDIR(a.st_mode));
}

static void test_special(void)
{
	struct stat64 st;
	int p[2];

	CHECK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(MAJOR64(st.st_rdev), 1);
	CHECK_EQ(MINOR64(st.st_rdev), 3);
	CHECK_EQ(st.st_rdev, 0x103);
	CHECK_OK(stat("/dev/zero", &st));
	CHECK_EQ(st.st_rdev, MKDEV64(1, 5));
	CHECK_OK(stat("/dev/console", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_rdev, MKDEV64(5, 1));

	CHECK_OK(pipe(p));
	CHECK_OK(fstat(p[0], &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	close(p[0]);
	close(p[1]);
}

static void test_at(void)
{
	struct stat64 st, ref;
	int dfd, fd;

	CHECK_OK(stat(F, &ref));
	CHECK_OK(dfd = open(D, O_RDONLY | O_DIRECTORY));
	CHECK_OK(fstatat(dfd, "file", &st, 0));
	CHECK_EQ(st.st_ino, ref.st_ino);
	CHECK_OK(fstatat(AT_FDCWD, F, &st, AT_SYMLINK_NOFOLLOW));
	CHECK_EQ(st.st_ino, ref.st_ino);
	CHECK_OK(fd = open(F, O_RDONLY));
	CHECK_OK(fstatat(fd, "", &st, AT_EMPTY_PATH));  /* the descriptor itself */
	CHECK_EQ(st.st_ino, ref.st_ino);
	CHECK_ERR(fstatat(fd, "", &st, 0), ENOENT);
	CHECK_ERR(fstatat(fd, "x", &st, 0), ENOTDIR);
	CHECK_ERR(fstatat(dfd, "file", &st, 0x40000), EINVAL);  /* unknown flag */
	close(fd);
	close(dfd);
}

static void test_statx(void)
{
	struct statx sx;
	struct stat64 st;

	CHECK_OK(stat(F, &st));
	memset(&sx, 0xaa, sizeof(sx));
	CHECK_OK(statx(AT_FDCWD, F, 0, STATX_BASIC_STATS, &sx));
	CHECK_EQ(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	CHECK_EQ(sx.stx_mode, st.st_mode);
	CHECK_EQ(sx.stx_size, st.st_size);
	CHECK_EQ(sx.stx_ino, st.st_ino);
	CHECK_EQ(sx.stx_nlink, st.st_nlink);
	CHECK_EQ(sx.stx_uid, 0);
	CHECK_OK(statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &sx));
	CHECK_EQ(sx.stx_rdev_major, 1);
	CHECK_EQ(sx.stx_rdev_minor, 3);
	CHECK_ERR(statx(AT_FDCWD, F, 0, STATX__RESERVED, &sx), EINVAL);
	CHECK_ERR(statx(AT_FDCWD, "/none", 0, STATX_BASIC_STATS, &sx), ENOENT);
}

static void test_errors(void)
{
	struct stat64 st;

	CHECK_ERR(stat("/none", &st), ENOENT);
	CHECK_ERR(stat("", &st), ENOENT);
	CHECK_ERR(stat(F "/x", &st), ENOTDIR);
	CHECK_ERR(stat((char *)1, &st), EFAULT);
	CHECK_ERR(stat(F, (void *)1), EFAULT);
	CHECK_ERR(fstat(99, &st), EBADF);
	CHECK_ERR(lstat("/none", &st), ENOENT);
}

int main(void)
{
	CHECK_OK(mkdir(D, 0750));
	test_file();
	test_dirs();
	test_special();
	test_at();
	test_statx();
	test_errors();
	CHECK_OK(unlink(F));
	CHECK_OK(rmdir(D));
	return 0;
}
