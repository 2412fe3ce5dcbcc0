/*
 * Time stamps: utimensat (and utimensat_time64) with times, UTIME_NOW,
 * UTIME_OMIT, no times, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH and a NULL
 * path (futimens); utimes, futimesat, utime; their errors.  Only whole
 * seconds are compared (our file system keeps no more).
 */
#include "check.h"
#include <time.h>
#include <sys/stat.h>
#include <uapi/time.h>

#define D "/tmp/times-dir"
#define F D "/file"
#define L D "/link"
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

static void times_are(const char *path, int nofollow, long atime, long mtime)
{
	struct stat64 st;
	CHECK_OK(nofollow ? lstat(path, &st) : stat(path, &st));
	CHECK_EQ(st.st_atime, atime);
	CHECK_EQ(st.st_mtime, mtime);
}

/* Both times (or just the access time) are "now": between t0 and t1,
 * give or take the second the file system's clock may be behind. */
static void times_now(const char *path, long t0, int atime_only, long mtime)
{
	struct stat64 st;
	long t1 = time(NULL);
	CHECK_OK(stat(path, &st));
	CHECK((long)st.st_atime + 1 >= t0 && (long)st.st_atime <= t1);
	if (atime_only)
		CHECK_EQ(st.st_mtime, mtime);
	else
		CHECK((long)st.st_mtime + 1 >= t0 && (long)st.st_mtime <= t1);
}

static void test_utimensat(int fd, int dfd)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 500 } };
	long t0 = time(NULL);
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), 0);
	times_are(F, 0, 1000, 2000);
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1].tv_sec = 3000;
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), 0);
	times_are(F, 0, 1000, 3000);
	ts[0] = (struct timespec){ 5000, 999999999 };
	ts[1] = (struct timespec){ 7, UTIME_OMIT };     /* OMIT: tv_sec does not matter */
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), 0);
	times_are(F, 0, 5000, 3000);
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1] = (struct timespec){ 0, UTIME_OMIT };
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), 0);
	times_are(F, 0, 5000, 3000);
	ts[0] = (struct timespec){ 12345, UTIME_NOW };
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), 0);
	times_now(F, t0, 1, 3000);
	CHECK_EQ(syscall(__NR_utimensat, AT_FDCWD, F, NULL, 0), 0);     /* no times: both now */
	times_now(F, t0, 0, 0);

	/* Relative to a directory; a link itself; the file of a descriptor. */
	ts[0] = (struct timespec){ 100, 0 };
	ts[1] = (struct timespec){ 200, 0 };
	CHECK_EQ(syscall(__NR_utimensat, dfd, "file", ts, 0), 0);
	times_are(F, 0, 100, 200);
	ts[1].tv_sec = 300;
	CHECK_EQ(syscall(__NR_utimensat, dfd, "link", ts, AT_SYMLINK_NOFOLLOW), 0);
	times_are(L, 1, 100, 300);
	times_are(F, 0, 100, 200);
	ts[1].tv_sec = 400;
	CHECK_EQ(syscall(__NR_utimensat, dfd, "link", ts, 0), 0);      /* followed */
	times_are(F, 0, 100, 400);
	ts[1].tv_sec = 500;
	CHECK_EQ(syscall(__NR_utimensat, fd, NULL, ts, 0), 0);
	times_are(F, 0, 100, 500);
	ts[1].tv_sec = 600;
	CHECK_EQ(syscall(__NR_utimensat, fd, "", ts, AT_EMPTY_PATH), 0);
	times_are(F, 0, 100, 600);

	/* Errors. */
	ts[0] = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), EINVAL);
	ts[0] = (struct timespec){ 0, -1 };
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), EINVAL);
	ts[0] = (struct timespec){ 0, 0 };
	ts[1] = (struct timespec){ 0, UTIME_NOW + 1 };
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0), EINVAL);
	times_are(F, 0, 100, 600);                      /* nothing changed */
	ts[1] = (struct timespec){ 0, 0 };
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F, (void *)1, 0), EFAULT);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, (char *)1, ts, 0), EFAULT);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F, ts, 0x200), EINVAL);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, D "/none", ts, 0), ENOENT);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, "", ts, 0), ENOENT);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, F "/x", ts, 0), ENOTDIR);
	CHECK_ERR(syscall(__NR_utimensat, 999, NULL, ts, 0), EBADF);
	CHECK_ERR(syscall(__NR_utimensat, 999, "file", ts, 0), EBADF);
	CHECK_ERR(syscall(__NR_utimensat, fd, "file", ts, 0), ENOTDIR);
}

static void test_time64(int fd)
{
	struct kernel_timespec64 ts[2] = { { 0x1234, 0 }, { 0x5678, 0 } };
	CHECK_EQ(syscall(__NR_utimensat_time64, AT_FDCWD, F, ts, 0), 0);
	times_are(F, 0, 0x1234, 0x5678);
	ts[0] = (struct kernel_timespec64){ 0, UTIME_OMIT };
	ts[1] = (struct kernel_timespec64){ 0x9abc, 1ll << 32 };   /* only the low word counts */
	CHECK_EQ(syscall(__NR_utimensat_time64, fd, NULL, ts, 0), 0);
	times_are(F, 0, 0x1234, 0x9abc);
	ts[1] = (struct kernel_timespec64){ 0, 1000000000 };
	CHECK_ERR(syscall(__NR_utimensat_time64, AT_FDCWD, F, ts, 0), EINVAL);
	CHECK_ERR(syscall(__NR_utimensat_time64, AT_FDCWD, F, (void *)1, 0), EFAULT);
	CHECK_ERR(syscall(__NR_utimensat_time64, AT_FDCWD, F, ts, 0x200), EINVAL);
	CHECK_ERR(syscall(__NR_utimensat_time64, AT_FDCWD, D "/none", NULL, 0), ENOENT);
}

static void test_old_calls(int dfd)
{
	struct timeval tv[2] = { { 10, 0 }, { 20, 999999 } };
	int32_t ub[2] = { 30, 40 };
	long t0 = time(NULL);
	CHECK_EQ(syscall(__NR_utimes, F, tv), 0);
	times_are(F, 0, 10, 20);
	tv[1].tv_sec = 25;
	CHECK_EQ(syscall(__NR_futimesat, dfd, "file", tv), 0);
	times_are(F, 0, 10, 25);
	tv[0].tv_sec = 26;
	CHECK_EQ(syscall(__NR_futimesat, AT_FDCWD, F, tv), 0);
	times_are(F, 0, 26, 25);
	CHECK_EQ(syscall(__NR_utime, F, ub), 0);
	times_are(F, 0, 30, 40);
	CHECK_EQ(syscall(__NR_utimes, F, NULL), 0);
	times_now(F, t0, 0, 0);
	CHECK_EQ(syscall(__NR_utime, F, ub), 0);
	CHECK_EQ(syscall(__NR_utime, F, NULL), 0);
	times_now(F, t0, 0, 0);
	CHECK_EQ(syscall(__NR_utimes, L, tv), 0);       /* follows links */
	times_are(F, 0, 26, 25);

	tv[0].tv_usec = 1000000;
	CHECK_ERR(syscall(__NR_utimes, F, tv), EINVAL);
	tv[0].tv_usec = -1;
	CHECK_ERR(syscall(__NR_futimesat, dfd, "file", tv), EINVAL);
	tv[0].tv_usec = 0;
	CHECK_ERR(syscall(__NR_utimes, F, (void *)1), EFAULT);
	CHECK_ERR(syscall(__NR_utimes, NULL, tv), EFAULT);
	CHECK_ERR(syscall(__NR_utimes, D "/none", tv), ENOENT);
	CHECK_ERR(syscall(__NR_futimesat, 999, "file", tv), EBADF);
	CHECK_ERR(syscall(__NR_utime, F, (void *)1), EFAULT);
	CHECK_ERR(syscall(__NR_utime, (char *)1, ub), EFAULT);
	CHECK_ERR(syscall(__NR_utime, D "/none", NULL), ENOENT);
	times_are(F, 0, 26, 25);
}

int main(void)
{
	int fd, dfd;
	CHECK_OK(mkdir(D, 0755));
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_OK(symlink("file", L));
	CHECK_OK(dfd = open(D, O_RDONLY | O_DIRECTORY));
	test_utimensat(fd, dfd);
	test_time64(fd);
	test_old_calls(dfd);
	CHECK_OK(close(fd));
	CHECK_OK(close(dfd));
	CHECK_OK(unlink(L));
	CHECK_OK(unlink(F));
	CHECK_OK(rmdir(D));
	printf("attr_times: ok\n");
	return 0;
}
