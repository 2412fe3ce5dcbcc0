/*
 * close_range(first, last, flags), as Linux 6.1: every open descriptor
 * from first to last is closed (holes and a last past the table's end are
 * no error), or with CLOSE_RANGE_CLOEXEC only marked close-on-exec;
 * CLOSE_RANGE_UNSHARE (a table of one's own) changes nothing visible
 * here.  EINVAL for another flag or first > last, and then nothing is
 * closed.
 */
#include "check.h"
#include <sys/syscall.h>

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

static long close_range_(unsigned first, unsigned last, unsigned flags)
{
	return __syscall_ret(raw_syscall6(__NR_close_range, first, last, flags, 0, 0, 0));
}

static int is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

/* Open /dev/null at exactly fd. */
static void open_at(int fd)
{
	int t;
	CHECK_OK(t = open("/dev/null", O_RDONLY));
	if (t != fd) {
		CHECK_EQ(dup2(t, fd), fd);
		CHECK_OK(close(t));
	}
}

int main(void)
{
	for (int fd = 10; fd <= 20; fd++)
		open_at(fd);
	CHECK_OK(close(15));                                   /* a hole */

	CHECK_ERR(close_range_(12, 11, 0), EINVAL);
	CHECK_ERR(close_range_(10, 20, 1), EINVAL);
	CHECK_ERR(close_range_(10, 20, 8), EINVAL);
	CHECK_ERR(close_range_(10, 20, 0x80000000u), EINVAL);
	for (int fd = 10; fd <= 20; fd++)
		CHECK_EQ(is_open(fd), fd != 15);               /* nothing closed */

	CHECK_EQ(close_range_(12, 16, 0), 0);
	for (int fd = 10; fd <= 20; fd++)
		CHECK_EQ(is_open(fd), fd < 12 || fd > 16);
	CHECK_EQ(close_range_(11, 11, CLOSE_RANGE_UNSHARE), 0);
	CHECK(!is_open(11));
	CHECK(is_open(10));

	/* Close-on-exec, not closed. */
	CHECK_EQ(close_range_(17, 18, CLOSE_RANGE_CLOEXEC), 0);
	CHECK_EQ(fcntl(17, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(18, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(19, F_GETFD), 0);
	CHECK_EQ(close_range_(17, 18, CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE), 0);
	CHECK_EQ(fcntl(17, F_GETFD), FD_CLOEXEC);

	/* To the end of everything: ~0U, past the table. */
	CHECK_EQ(close_range_(19, ~0u, 0), 0);
	CHECK(!is_open(19) && !is_open(20));
	CHECK(is_open(17));
	CHECK_EQ(close_range_(17, ~0u, 0), 0);
	CHECK(!is_open(17) && !is_open(18));
	CHECK_EQ(close_range_(1000, 2000, 0), 0);              /* nothing there */
	CHECK_EQ(close_range_(~0u, ~0u, 0), 0);
	CHECK(is_open(10) && is_open(0));
	CHECK_OK(close(10));
	return 0;
}
