/*
 * O_PATH descriptors, as Linux 6.1 has them: a name held open, not a file
 * opened for I/O.  Only close, fstat, fchdir, dup, fcntl and use as the
 * base of the *at calls work; read, write and the rest are EBADF.  Flags
 * other than O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC are dropped, so a
 * directory opens "for writing" without EISDIR, and F_GETFL says O_PATH.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* The calls our libc has no wrapper for, with the C convention. */
static long sc(long nr, long a, long b, long c, long d)
{
	long r = raw_syscall6(nr, a, b, c, d, 0, 0);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
#define fsync(fd)                       sc(__NR_fsync, fd, 0, 0, 0)
#define fchdir(fd)                      sc(__NR_fchdir, fd, 0, 0, 0)
#define getdents64(fd, b, n)            sc(__NR_getdents64, fd, (long)(b), n, 0)
#define readlinkat(fd, path, b, n)      sc(__NR_readlinkat, fd, (long)(path), (long)(b), n)

#define D "/tmp/opath-dir"
#define F D "/file"
#define L D "/link"

int main(void)
{
	char buf[64];
	struct stat64 st;
	mkdir(D, 0755);
	int fd = open(F, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "data", 4), 4);
	CHECK_OK(close(fd));
	unlink(L);
	CHECK_OK(symlink("file", L));

	/* A file: only the name. */
	int p = open(F, O_PATH | O_RDWR | O_TRUNC | O_APPEND);  /* the rest is ignored */
	CHECK(p >= 0);
	CHECK_EQ(fcntl(p, F_GETFL), O_PATH);
	CHECK_OK(stat(F, &st));
	CHECK_EQ(st.st_size, 4);                        /* O_TRUNC did nothing */
	CHECK_ERR(read(p, buf, 1), EBADF);
	CHECK_ERR(write(p, "x", 1), EBADF);
	CHECK_ERR(pread64(p, buf, 1, 0), EBADF);
	CHECK_ERR(lseek(p, 0, SEEK_SET), EBADF);
	CHECK_ERR(ioctl(p, FIONREAD, &fd), EBADF);
	CHECK_ERR(ftruncate(p, 0), EBADF);
	CHECK_ERR(fchmod(p, 0600), EBADF);
	CHECK_ERR(fsync(p), EBADF);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p, 0) == MAP_FAILED && errno == EBADF);
	CHECK_ERR(fchdir(p), ENOTDIR);
	memset(&st, 0, sizeof st);
	CHECK_OK(fstat(p, &st));                        /* fstat works */
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 4);
	CHECK_OK(fstatat(p, "", &st, AT_EMPTY_PATH));
	CHECK_EQ(fcntl(p, F_GETFD), 0);
	CHECK_OK(fcntl(p, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(fcntl(p, F_GETFD), FD_CLOEXEC);
	int q = dup(p);                                 /* dup works, and keeps O_PATH */
	CHECK(q >= 0);
	CHECK_EQ(fcntl(q, F_GETFL), O_PATH);
	CHECK_ERR(read(q, buf, 1), EBADF);
	struct pollfd pf = { .fd = p, .events = POLLIN };
	CHECK_EQ(poll(&pf, 1, 0), 1);
	CHECK_EQ(pf.revents, POLLNVAL);                 /* poll: not a file for I/O */
	CHECK_OK(close(q));
	CHECK_OK(close(p));

	/* A directory: a base for *at, fchdir; no listing. */
	int d = open(D, O_PATH | O_WRONLY);             /* no EISDIR: the mode is dropped */
	CHECK(d >= 0);
	CHECK_EQ(fcntl(d, F_GETFL), O_PATH);
	fd = openat(d, "file", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, sizeof buf), 4);
	CHECK_OK(close(fd));
	CHECK_OK(fstatat(d, "file", &st, 0));
	CHECK_EQ(st.st_size, 4);
	CHECK_ERR(getdents64(d, buf, sizeof buf), EBADF);
	int cwd = open(".", O_PATH | O_DIRECTORY);
	CHECK(cwd >= 0);
	CHECK_EQ(fcntl(cwd, F_GETFL), O_PATH | O_DIRECTORY);
	CHECK_OK(fchdir(d));
	fd = open("file", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_OK(close(fd));
	CHECK_OK(fchdir(cwd));
	CHECK_OK(close(cwd));
	CHECK_OK(close(d));
	CHECK_ERR(open(F, O_PATH | O_DIRECTORY), ENOTDIR);

	/* A symlink with O_NOFOLLOW: the link itself. */
	int l = open(L, O_PATH | O_NOFOLLOW);
	CHECK(l >= 0);
	CHECK_OK(fstat(l, &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(readlinkat(l, "", buf, sizeof buf), 4);
	CHECK(memcmp(buf, "file", 4) == 0);
	CHECK_ERR(read(l, buf, 1), EBADF);
	CHECK_OK(close(l));
	CHECK_ERR(open(L, O_RDONLY | O_NOFOLLOW), ELOOP);   /* without O_PATH: ELOOP */

	CHECK_OK(unlink(L));
	CHECK_OK(unlink(F));
	CHECK_OK(rmdir(D));
	return 0;
}
