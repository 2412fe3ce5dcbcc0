/*
 * Pipes: data in order, blocking reads and writes, EOF once every writer
 * is gone, poll, O_NONBLOCK, pipe2 flags, FIONREAD, and a writer with no
 * reader.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>

static void test_data(void)
{
	int p[2];
	char buf[32];

	CHECK_OK(pipe(p));
	CHECK(p[0] >= 3 && p[1] == p[0] + 1);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_EQ(write(p[1], "defg", 4), 4);
	int n = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &n));
	CHECK_EQ(n, 7);
	CHECK_EQ(read(p[0], buf, 2), 2);            /* reads take what is asked */
	CHECK(!memcmp(buf, "ab", 2));
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 5);  /* or what is there */
	CHECK(!memcmp(buf, "cdefg", 5));
	CHECK_ERR(write(p[0], "x", 1), EBADF);      /* wrong ends */
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	CHECK_EQ(write(p[1], "", 0), 0);
	CHECK_OK(close(p[1]));
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);  /* EOF */
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_OK(close(p[0]));
}

/* EOF comes only when every write end, in every process, is closed. */
static void test_eof_all_writers(void)
{
	int p[2], d;
	char c;

	CHECK_OK(pipe(p));
	CHECK_OK(d = dup(p[1]));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(d);
		usleep(50000);
		write(p[1], "L", 1);                /* after the parent closed its ends */
		_exit(0);
	}
	close(p[1]);
	close(d);
	CHECK_EQ(read(p[0], &c, 1), 1);             /* blocks until the child writes */
	CHECK_EQ(c, 'L');
	CHECK_EQ(read(p[0], &c, 1), 0);             /* the child's exit closed the last one */
	CHECK_EQ(wait_status(pid), 0);
	close(p[0]);
}

/* One big write from a child: the writer blocks until we drain the pipe. */
static void test_big_transfer(void)
{
	enum { TOTAL = 256 * 1024 };
	int p[2];
	static unsigned char buf[TOTAL];

	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < TOTAL; i++)
			buf[i] = (unsigned char)(i * 13 + i / 256);
		_exit(write(p[1], buf, TOTAL) == TOTAL ? 0 : 1);
	}
	close(p[1]);
	memset(buf, 0, sizeof(buf));
	int got = 0, n;
	while ((n = read(p[0], buf + got, 1000)) > 0)
		got += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(got, TOTAL);
	for (int i = 0; i < TOTAL; i++)
		if (buf[i] != (unsigned char)(i * 13 + i / 256))
			CHECK_EQ(buf[i], (unsigned char)(i * 13 + i / 256));
	CHECK_EQ(wait_status(pid), 0);
	close(p[0]);
}

static void test_poll(void)
{
	int p[2];
	char c;
	struct pollfd f[3];

	CHECK_OK(pipe(p));
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	f[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ(poll(f, 2, 0), 1);                 /* only the write end is ready */
	CHECK_EQ(f[0].revents, 0);
	CHECK_EQ(f[1].revents, POLLOUT);
	CHECK_EQ(poll(f, 1, 30), 0);                /* a timeout: nothing to read */

	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(poll(f, 2, 0), 2);
	CHECK_EQ(f[0].revents, POLLIN);

	/* Writer gone: POLLHUP (with POLLIN while data is left). */
	CHECK_OK(close(p[1]));
	CHECK_EQ(poll(f, 1, 0), 1);
	CHECK_EQ(f[0].revents, POLLIN | POLLHUP);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(poll(f, 1, 0), 1);
	CHECK_EQ(f[0].revents, POLLHUP);
	CHECK_OK(close(p[0]));

	/* Reader gone: the write end reports POLLERR. */
	CHECK_OK(pipe(p));
	CHECK_OK(close(p[0]));
	f[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ(poll(f, 1, 0), 1);
	CHECK_EQ(f[0].revents, POLLOUT | POLLERR);
	CHECK_OK(close(p[1]));

	/* Closed descriptors: POLLNVAL; negative ones are skipped. */
	f[0] = (struct pollfd){ .fd = 99, .events = POLLIN };
	f[1] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
	CHECK_EQ(poll(f, 2, 0), 1);
	CHECK_EQ(f[0].revents, POLLNVAL);
	CHECK_EQ(f[1].revents, 0);

	/* poll sleeps until a child writes. */
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(write(p[1], "y", 1) == 1 ? 0 : 1);
	}
	f[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECK_EQ(poll(f, 1, -1), 1);                /* no timeout: however slow the child */
	CHECK_EQ(f[0].revents, POLLIN);
	CHECK_EQ(wait_status(pid), 0);
	close(p[0]);
	close(p[1]);

	CHECK_EQ(poll(NULL, 0, 20), 0);             /* a plain sleep */
	CHECK_ERR(poll((void *)8, 1, 0), EFAULT);
}

static void test_flags(void)
{
	int p[2];
	char buf[4096];

	CHECK_OK(pipe2(p, O_CLOEXEC));
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pipe2(p, O_APPEND), EINVAL);
	CHECK_ERR(syscall(__NR_pipe, 4), EFAULT);

	/* Non-blocking: EAGAIN instead of waiting, on both ends. */
	CHECK_OK(pipe2(p, O_NONBLOCK));
	CHECK_EQ(fcntl(p[0], F_GETFL), O_RDONLY | O_NONBLOCK);
	CHECK_ERR(read(p[0], buf, 1), EAGAIN);
	memset(buf, 'f', sizeof(buf));
	int total = 0, n;
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ(errno, EAGAIN);
	CHECK(total >= 4096);                       /* Linux: 65536 */
	int got = 0;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		got += n;
	CHECK_EQ(got, total);
	CHECK_EQ(errno, EAGAIN);
	close(p[0]);
	close(p[1]);
}

/*
 * Writing with no reader: Linux sends SIGPIPE, whose default action kills
 * the writer; without signals the write fails with EPIPE.  Either is right
 * (status SIGPIPE, or exit 32 from the child below).
 */
static void test_no_reader(void)
{
	int p[2];
	CHECK_OK(pipe(p));
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		int r = write(p[1], "x", 1);
		_exit(r == -1 ? errno : 100);
	}
	int st = wait_status(pid);
	CHECK(st == SIGPIPE || st == EPIPE << 8);
	close(p[1]);
}

int main(void)
{
	test_data();
	test_eof_all_writers();
	test_big_transfer();
	test_poll();
	test_flags();
	test_no_reader();
	return 0;
}
