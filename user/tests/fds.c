/*
 * The descriptor table: dup, dup2, dup3, fcntl (F_DUPFD F_DUPFD_CLOEXEC
 * F_GETFD F_SETFD F_GETFL F_SETFL), shared offsets, inheritance by fork.
 */
#include "check.h"
#include <fcntl.h>

#define F "/tmp/fds-file"

static void test_dup(int fd)
{
	int d, d2;
	char c;

	CHECK_OK(d = dup(fd));
	CHECK_EQ(d, fd + 1);                         /* the lowest free number */
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 3);          /* one open file, one offset */
	CHECK_EQ(read(d, &c, 1), 1);
	CHECK_EQ(c, '3');
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	CHECK_OK(close(fd));
	CHECK_EQ(read(d, &c, 1), 1);                 /* still open through d */
	CHECK_EQ(c, '4');

	/* dup2 onto an open descriptor closes it first, silently. */
	CHECK_OK(d2 = open("/dev/null", O_RDONLY));
	CHECK_EQ(d2, fd);                            /* fd's number was free again */
	CHECK_EQ(dup2(d, d2), d2);
	CHECK_EQ(read(d2, &c, 1), 1);
	CHECK_EQ(c, '5');
	CHECK_EQ(dup2(d, d), d);                     /* onto itself: a no-op */
	CHECK_EQ(dup2(d, 50), 50);
	CHECK_EQ(lseek(50, 0, SEEK_CUR), 6);
	CHECK_OK(close(50));
	CHECK_ERR(dup2(50, 51), EBADF);              /* closed source */
	CHECK_ERR(dup2(50, 50), EBADF);
	CHECK_ERR(dup2(d, -1), EBADF);
	CHECK_ERR(dup2(d, 1 << 20), EBADF);          /* beyond RLIMIT_NOFILE */
	CHECK_ERR(dup(77), EBADF);

	/* dup3: like dup2 but flags, and never onto itself. */
	CHECK_ERR(dup3(d, d, 0), EINVAL);
	CHECK_ERR(dup3(d, 40, O_NONBLOCK), EINVAL);
	CHECK_EQ(dup3(d, 40, O_CLOEXEC), 40);
	CHECK_EQ(fcntl(40, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(dup3(d, 41, 0), 41);
	CHECK_EQ(fcntl(41, F_GETFD), 0);
	close(40);
	close(41);
	close(d2);
	close(d);
}

static void test_fcntl(void)
{
	int fd, d;

	CHECK_OK(fd = open(F, O_RDWR));
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_SETFD, 0), 0);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);

	/* F_DUPFD: the lowest free number >= arg; the copy has no FD_CLOEXEC. */
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(d = fcntl(fd, F_DUPFD, 10), 10);
	CHECK_EQ(fcntl(fd, F_DUPFD, 10), 11);
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_EQ(fcntl(fd, F_DUPFD_CLOEXEC, 10), 12);
	CHECK_EQ(fcntl(12, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_ERR(fcntl(fd, F_DUPFD, 1 << 20), EINVAL);
	close(10);
	close(11);
	close(12);

	/* F_GETFL: access mode and status flags, not the open-time ones. */
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDWR);
	close(fd);
	CHECK_OK(fd = open(F, O_WRONLY | O_APPEND | O_CREAT, 0644));
	CHECK_EQ(fcntl(fd, F_GETFL), O_WRONLY | O_APPEND);
	close(fd);
	CHECK_OK(fd = open(F, O_RDONLY | O_CLOEXEC | O_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY | O_NONBLOCK);

	/* F_SETFL changes O_APPEND and O_NONBLOCK, never the access mode. */
	CHECK_OK(fcntl(fd, F_SETFL, O_RDWR | O_APPEND));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY | O_APPEND);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_OK(fcntl(fd, F_SETFL, 0));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY);
	/* Status flags belong to the open file, shared by dup. */
	CHECK_OK(d = dup(fd));
	CHECK_OK(fcntl(d, F_SETFL, O_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFL), O_RDONLY | O_NONBLOCK);
	close(d);

	CHECK_ERR(fcntl(fd, 9999), EINVAL);
	CHECK_ERR(fcntl(99, F_GETFD), EBADF);
	CHECK_ERR(fcntl(99, F_GETFL), EBADF);
	close(fd);

	/* Pipes report their direction. */
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL), O_WRONLY);
	close(p[0]);
	close(p[1]);
}

/* A forked child shares open files (and their offsets) with us. */
static void test_fork_shares(void)
{
	int fd;
	CHECK_OK(fd = open(F, O_RDWR));
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	pid_t pid = fork();
	if (pid == 0) {
		if (lseek(fd, 0, SEEK_CUR) != 2)
			_exit(2);
		if (lseek(fd, 7, SEEK_SET) != 7)
			_exit(3);
		close(fd);              /* closes only the child's descriptor */
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	close(fd);
}

/* Many descriptors: numbers are handed out densely and reused. */
static void test_many(void)
{
	int fds[100];
	for (int i = 0; i < 100; i++) {
		fds[i] = open("/dev/null", O_RDONLY);
		CHECK_EQ(fds[i], 3 + i);
	}
	CHECK_OK(close(fds[40]));
	CHECK_OK(close(fds[20]));
	CHECK_EQ(open("/dev/null", O_RDONLY), fds[20]);
	CHECK_EQ(dup(0), fds[40]);
	for (int i = 0; i < 100; i++)
		CHECK_OK(close(fds[i]));
}

int main(void)
{
	int fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	test_dup(fd);
	test_fcntl();
	test_fork_shares();
	test_many();
	CHECK_OK(unlink(F));
	return 0;
}
