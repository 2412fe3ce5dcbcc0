/*
 * RLIMIT_NOFILE, exactly as Linux answers at it: allocating a descriptor
 * at or past the soft limit is EMFILE (open, even of a path that does
 * not exist, dup, F_DUPFD, pipe, memfd_create, /proc/new-mm), dup2 and
 * dup3 to one are EBADF, F_DUPFD from one EINVAL, poll with more entries
 * EINVAL; descriptors above a lowered limit stay usable; closed ones come
 * back; and the limit itself: Linux's defaults (1024, 4096), EINVAL and
 * EPERM from setrlimit, and tables that grow to thousands of descriptors.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static void set_nofile(unsigned cur, unsigned max)
{
	struct rlimit r = { cur, max };
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
}

/* dup(0) until EMFILE (dup: inside the guest kernel an open of a file
 * costs it a descriptor of its own); the descriptors got, in order, from
 * 3.  The last one is replaced by an open of /dev/null (read-only), so
 * that open itself is tried right below the limit. */
static int fill(void)
{
	int n = 0, fd;
	while ((fd = dup(0)) >= 0)
		CHECK_EQ(fd, 3 + n++);
	CHECK_EQ(errno, EMFILE);
	if (n) {
		CHECK_OK(close(2 + n));
		CHECK_EQ(open("/dev/null", O_RDONLY), 2 + n);
		CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE);
	}
	return n;
}

static void close_from(int first, int end)
{
	for (int fd = first; fd < end; fd++)
		close(fd);
}

static void test_defaults(void)
{
	struct rlimit r;
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
	CHECK_EQ(r.rlim_cur, 1024);
	CHECK_EQ(r.rlim_max, 4096);
	/* Only 0, 1 and 2 are open (the rest closed by main). */
	for (int fd = 0; fd < 3; fd++)
		CHECK(fcntl(fd, F_GETFD) >= 0);
}

static void test_at_the_limit(void)
{
	set_nofile(10, 4096);
	CHECK_EQ(fill(), 7);                          /* 3..9 */
	CHECK_ERR(open("/no/such/file", O_RDONLY), EMFILE);   /* before the path is looked at */
	CHECK_ERR(open("/proc/new-mm", O_RDWR), EMFILE);
	CHECK_ERR(dup(0), EMFILE);
	CHECK_ERR(fcntl(0, F_DUPFD, 0), EMFILE);
	CHECK_ERR(fcntl(0, F_DUPFD, 9), EMFILE);
	CHECK_ERR(fcntl(0, F_DUPFD, 10), EINVAL);    /* from past the limit */
	CHECK_ERR(fcntl(0, F_DUPFD_CLOEXEC, 10), EINVAL);
	CHECK_ERR(fcntl(0, F_DUPFD, -1), EINVAL);
	CHECK_ERR(memfd_create("x", 0), EMFILE);
	int p[2] = { -1, -1 };
	CHECK_ERR(pipe(p), EMFILE);
	CHECK_ERR(pipe2(p, O_CLOEXEC), EMFILE);
	CHECK_EQ(p[0], -1);                           /* nothing written back */

	/* dup2 and dup3 to a descriptor past the limit: EBADF. */
	CHECK_ERR(dup2(0, 10), EBADF);
	CHECK_ERR(dup2(0, 1000), EBADF);
	CHECK_ERR(dup2(0, -1), EBADF);
	CHECK_ERR(syscall(__NR_dup3, 0, 10, 0), EBADF);
	CHECK_ERR(syscall(__NR_dup3, 0, 10, 1), EINVAL);   /* bad flags first */
	CHECK_ERR(dup2(100, 10), EBADF);
	CHECK_EQ(dup2(0, 9), 9);                      /* below it: fine, replacing */
	CHECK_EQ(dup2(9, 9), 9);

	/* One free: pipe needs two, and gives back the one it took. */
	CHECK_OK(close(9));
	CHECK_ERR(pipe(p), EMFILE);
	CHECK_EQ(dup(0), 9);
	CHECK_OK(close(9));
	CHECK_OK(close(8));
	CHECK_OK(pipe(p));
	CHECK_EQ(p[0], 8);
	CHECK_EQ(p[1], 9);
	CHECK_OK(close(8));
	CHECK_OK(close(9));
	int m = memfd_create("x", 0);
	CHECK_EQ(m, 8);
	CHECK_OK(close(m));

	/* poll: no more entries than descriptors may exist. */
	struct pollfd fds[11];
	for (int i = 0; i < 11; i++)
		fds[i] = (struct pollfd){ .fd = -1 };
	CHECK_EQ(poll(fds, 10, 0), 0);
	CHECK_ERR(poll(fds, 11, 0), EINVAL);

	/* A lower limit leaves what is open alone. */
	set_nofile(5, 4096);
	CHECK_EQ(fcntl(7, F_GETFD), 0);
	CHECK_EQ(fcntl(7, F_GETFL), fcntl(0, F_GETFL));  /* a dup of 0, still there */
	CHECK_ERR(dup(7), EMFILE);
	CHECK_EQ(dup2(7, 4), 4);
	CHECK_ERR(dup2(4, 7), EBADF);
	CHECK_OK(close(7));
	CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE);
	close_from(3, 10);
	CHECK_EQ(fill(), 2);                          /* 3, 4 */
	close_from(3, 10);

	/* The descriptors come back: all of them again. */
	set_nofile(10, 4096);
	CHECK_EQ(fill(), 7);
	close_from(3, 10);
	CHECK_EQ(fill(), 7);
	close_from(3, 10);
	set_nofile(0, 4096);
	CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE);
	CHECK_ERR(fcntl(0, F_DUPFD, 0), EINVAL);
	set_nofile(1024, 4096);
}

static void test_setrlimit(void)
{
	struct rlimit r = { 20, 10 };
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL);  /* soft above hard */
	r = (struct rlimit){ 1024, 1048577 };
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);   /* past fs.nr_open */
	r = (struct rlimit){ 1024, RLIM_INFINITY };
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
	struct rlimit64 r64 = { 1024, 1ull << 40 };
	CHECK_ERR(prlimit64(0, RLIMIT_NOFILE, &r64, NULL), EPERM);
	CHECK_ERR(setrlimit(16, &r), EINVAL);
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, (void *)8), EFAULT);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
	CHECK_EQ(r.rlim_cur, 1024);
	CHECK_EQ(r.rlim_max, 4096);
	/* Root may raise the hard limit, up to fs.nr_open; in a child, so
	 * that ours stays as it was. */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit up = { 1048576, 1048576 }, now;
		CHECK_OK(setrlimit(RLIMIT_NOFILE, &up));
		CHECK_OK(getrlimit(RLIMIT_NOFILE, &now));
		CHECK_EQ(now.rlim_cur, 1048576);
		CHECK_EQ(now.rlim_max, 1048576);
		CHECK_EQ(dup2(0, 70000), 70000);
		CHECK_OK(close(70000));
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
}

/* Thousands of descriptors, as RLIMIT_NOFILE allows. */
static void test_big_tables(void)
{
	set_nofile(4096, 4096);
	CHECK_EQ(dup2(0, 4095), 4095);
	CHECK_ERR(dup2(0, 4096), EBADF);
	CHECK_EQ(fcntl(0, F_DUPFD, 2000), 2000);
	CHECK_EQ(fcntl(0, F_DUPFD, 2000), 2001);
	/* A child inherits them all. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(fcntl(4095, F_GETFD) == 0 && fcntl(2001, F_GETFD) == 0 ? 0 : 1);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(close(4095));
	CHECK_OK(close(2000));
	CHECK_OK(close(2001));
	/* Fill 3..1023, then EMFILE at 1024. */
	set_nofile(1024, 4096);
	CHECK_EQ(fill(), 1021);
	close_from(3, 1024);
	CHECK_EQ(dup(0), 3);
	CHECK_OK(close(3));
}

int main(void)
{
	close_from(3, 1024);
	test_defaults();
	test_at_the_limit();
	test_setrlimit();
	test_big_tables();
	return 0;
}
