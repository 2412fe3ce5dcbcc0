/*
 * Pipe capacity, exactly as Linux 6.1 has it: 16 page-sized slots by
 * default (64 KiB), fcntl F_GETPIPE_SZ / F_SETPIPE_SZ (rounding, limits,
 * EBUSY, EINVAL, ENOMEM, root past /proc/sys/fs/pipe-max-size), how
 * writes are packed into pages (a small write joins the last page if it
 * fits behind its bytes, anything else takes slots of its own), and what
 * that means for O_NONBLOCK, poll, PIPE_BUF atomicity and faults.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

static char buf[1 << 17], got[1 << 17];

static int nbytes(int fd)
{
	int n = -1;
	CHECK_OK(ioctl(fd, FIONREAD, &n));
	return n;
}

static short revents(int fd, short events)
{
	struct pollfd f = { .fd = fd, .events = events };
	CHECK(poll(&f, 1, 0) >= 0);
	return f.revents;
}

/* A non-blocking pipe of `size` bytes (0: leave the default). */
static void nb_pipe(int p[2], int size)
{
	CHECK_OK(pipe2(p, O_NONBLOCK));
	if (size)
		CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, size), size);
}

static void close2(int p[2])
{
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
}

/* Read everything there is (non-blocking); how much. */
static int drain(int fd)
{
	int total = 0, n;
	while ((n = read(fd, got, sizeof got)) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EAGAIN);
	return total;
}

static void test_default_capacity(void)
{
	int p[2];
	nb_pipe(p, 0);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(p[1], F_GETPIPE_SZ), 65536);
	/* 16 whole pages, then EAGAIN; POLLOUT only while a slot is free. */
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(revents(p[1], POLLOUT), POLLOUT);
		CHECK_EQ(write(p[1], buf, 4096), 4096);
	}
	CHECK_EQ(nbytes(p[0]), 65536);
	CHECK_EQ(revents(p[1], POLLOUT), 0);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	CHECK_EQ(drain(p[0]), 65536);
	/* A longer write than that goes in as far as it fits: 65536. */
	CHECK_EQ(write(p[1], buf, 70000), 65536);
	CHECK_ERR(write(p[1], buf, 70000), EAGAIN);
	CHECK_EQ(drain(p[0]), 65536);
	close2(p);
}

static void test_merging(void)
{
	int p[2];
	/* One page: 4096 one-byte writes share it. */
	nb_pipe(p, 4096);
	for (int i = 0; i < 4096; i++)
		CHECK_EQ(write(p[1], buf + i, 1), 1);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	CHECK_EQ(read(p[0], got, sizeof got), 4096);
	CHECK(!memcmp(got, buf, 4096));
	close2(p);

	/* Two pages.  4000 bytes, then 4000 more: they do not fit behind the
	 * first, so they take the second page, and 96 bytes still join it;
	 * then the pipe is full with 8096 bytes in it. */
	nb_pipe(p, 8192);
	CHECK_EQ(write(p[1], buf, 4000), 4000);
	CHECK_EQ(write(p[1], buf, 4000), 4000);
	CHECK_EQ(revents(p[1], POLLOUT), 0);
	CHECK_EQ(write(p[1], buf, 96), 96);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	CHECK_EQ(nbytes(p[0]), 8096);
	CHECK_EQ(drain(p[0]), 8096);

	/* The head of a longer write (5000 % 4096 = 904 bytes) joins the last
	 * page; the rest takes a page of its own. */
	CHECK_EQ(write(p[1], buf, 100), 100);
	CHECK_EQ(write(p[1], buf + 100, 5000), 5000);
	CHECK_EQ(nbytes(p[0]), 5100);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	CHECK_EQ(read(p[0], got, sizeof got), 5100);
	CHECK(!memcmp(got, buf, 5100));

	/* Into an empty pipe nothing joins: whole pages from the start. */
	CHECK_EQ(write(p[1], buf, 10000), 8192);
	CHECK_EQ(drain(p[0]), 8192);

	/* A page partly read stays in use: the pipe is still full. */
	CHECK_EQ(write(p[1], buf, 4096), 4096);
	CHECK_EQ(write(p[1], buf, 4096), 4096);
	CHECK_EQ(read(p[0], got, 1), 1);
	CHECK_EQ(nbytes(p[0]), 8191);
	CHECK_EQ(revents(p[1], POLLOUT), 0);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	CHECK_EQ(read(p[0], got, 4095), 4095);
	CHECK_EQ(revents(p[1], POLLOUT), POLLOUT);
	CHECK_EQ(write(p[1], buf, 1), 1);
	CHECK_EQ(drain(p[0]), 4097);

	/* writev counts as one write: 100 + 4000 = 4100 bytes, whose first
	 * 4 join the page holding 4092. */
	CHECK_EQ(write(p[1], buf, 4092), 4092);
	struct iovec iov[2] = { { buf, 100 }, { buf + 100, 4000 } };
	CHECK_EQ(writev(p[1], iov, 2), 4100);
	CHECK_EQ(nbytes(p[0]), 8192);
	CHECK_ERR(write(p[1], buf, 1), EAGAIN);
	close2(p);
}

/* Writes of at most PIPE_BUF (4096) bytes are never split: not at a page,
 * not with O_NONBLOCK (all or EAGAIN), not between two writers. */
static void test_atomic(void)
{
	int p[2];
	nb_pipe(p, 8192);
	CHECK_EQ(write(p[1], buf, 4096), 4096);
	CHECK_EQ(write(p[1], buf, 100), 100);
	CHECK_ERR(write(p[1], buf, 4000), EAGAIN);   /* 3996 bytes of room, in one page */
	CHECK_EQ(nbytes(p[0]), 4196);
	CHECK_EQ(write(p[1], buf, 3996), 3996);
	CHECK_EQ(drain(p[0]), 8192);
	close2(p);

	/* Two writers, 3000-byte messages each of its own letter, into a
	 * blocking pipe: the stream is whole messages. */
	enum { MSG = 3000, COUNT = 60 };
	CHECK_OK(pipe(p));
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		CHECK(kids[k] >= 0);
		if (kids[k] == 0) {
			char msg[MSG];
			memset(msg, 'a' + k, MSG);
			close(p[0]);
			for (int i = 0; i < COUNT; i++)
				if (write(p[1], msg, MSG) != MSG)
					_exit(1);
			_exit(0);
		}
	}
	CHECK_OK(close(p[1]));
	static char all[2 * MSG * COUNT];
	int total = 0, n;
	while ((n = read(p[0], all + total, sizeof all - total)) > 0)
		total += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(total, (int)sizeof all);
	int seen[2] = { 0, 0 };
	for (int m = 0; m < 2 * COUNT; m++) {
		char c = all[m * MSG];
		CHECK(c == 'a' || c == 'b');
		seen[c - 'a']++;
		for (int i = 1; i < MSG; i++)
			if (all[m * MSG + i] != c)
				CHECK_EQ(all[m * MSG + i], c);
	}
	CHECK_EQ(seen[0], COUNT);
	CHECK_EQ(seen[1], COUNT);
	CHECK_EQ(wait_status(kids[0]), 0);
	CHECK_EQ(wait_status(kids[1]), 0);
	CHECK_OK(close(p[0]));
}

/* A read takes all there is, up to what it asks, without waiting again. */
static void test_big_read(void)
{
	int p[2];
	CHECK_OK(pipe(p));
	alarm(60);                              /* a hang is a failure (a watchdog only) */
	CHECK_EQ(write(p[1], buf, 32768), 32768);
	CHECK_EQ(read(p[0], got, 65536), 32768);
	CHECK_EQ(write(p[1], buf, 65536), 65536);
	CHECK_EQ(read(p[0], got, sizeof got), 65536);
	CHECK(!memcmp(got, buf, 65536));
	alarm(0);
	close2(p);
}

static void test_setpipe_sz(void)
{
	int p[2];
	nb_pipe(p, 0);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 0), 4096);         /* at least a page */
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 4096);
	CHECK_EQ(fcntl(p[0], F_SETPIPE_SZ, 1), 4096);         /* either end */
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 4097), 8192);      /* a power of two of pages */
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 3 * 4096), 16384);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 65535), 65536);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	/* Root may go past pipe-max-size (1 MiB). */
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, (1 << 20) + 1), 1 << 21);
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, -1), EINVAL);
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, 0x80000001u), EINVAL);
	/* Linux's ring of 2^18 slots and more cannot be allocated. */
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, 0x80000000u), ENOMEM);
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, 1 << 30), ENOMEM);
	CHECK_EQ(fcntl(p[1], F_GETPIPE_SZ), 1 << 21);
	/* A bigger pipe holds more. */
	CHECK_EQ(write(p[1], buf, sizeof buf), (int)sizeof buf);
	CHECK_EQ(drain(p[0]), (int)sizeof buf);

	/* Shrinking below the pages in use: EBUSY, and nothing changes. */
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 65536), 65536);
	CHECK_EQ(write(p[1], buf, 8192), 8192);
	CHECK_EQ(write(p[1], buf + 8192, 1), 1);              /* 3 pages */
	CHECK_ERR(fcntl(p[1], F_SETPIPE_SZ, 8192), EBUSY);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 12288), 16384);    /* 4 pages: fine */
	CHECK_EQ(write(p[1], buf + 8193, 4096), 4096);        /* the fourth */
	CHECK_ERR(write(p[1], buf, 4096), EAGAIN);
	CHECK_EQ(read(p[0], got, sizeof got), 8193 + 4096);   /* in order */
	CHECK(!memcmp(got, buf, 8193 + 4096));
	close2(p);

	/* Not a pipe: EBADF. */
	int fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK_ERR(fcntl(fd, F_GETPIPE_SZ), EBADF);
	CHECK_ERR(fcntl(fd, F_SETPIPE_SZ, 4096), EBADF);
	CHECK_OK(close(fd));
	CHECK_ERR(fcntl(99, F_GETPIPE_SZ), EBADF);
}

/* Write s to a /proc/sys file: write's result, errno in *err. */
static int sysctl_write(const char *path, const char *s, int *err)
{
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	errno = 0;
	int r = write(fd, s, strlen(s));
	*err = errno;
	CHECK_OK(close(fd));
	return r;
}

static long sysctl_read(const char *path)
{
	char text[32];
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	int n = read(fd, text, sizeof text - 1);
	CHECK(n > 1 && text[n - 1] == '\n');
	CHECK_EQ(read(fd, text, sizeof text), 0);
	CHECK_OK(close(fd));
	text[n] = 0;
	return strtol(text, NULL, 10);
}

static void test_pipe_max_size(void)
{
	const char *path = "/proc/sys/fs/pipe-max-size";
	int err;
	CHECK_EQ(sysctl_read(path), 1048576);
	CHECK_EQ(sysctl_write(path, "8000\n", &err), 5);
	CHECK_EQ(sysctl_read(path), 8192);                     /* rounded as a pipe size */
	CHECK_EQ(sysctl_write(path, "0", &err), 1);
	CHECK_EQ(sysctl_read(path), 4096);
	CHECK_EQ(sysctl_write(path, "-1", &err), -1);
	CHECK_EQ(err, EINVAL);
	CHECK_EQ(sysctl_write(path, "2147483649", &err), -1);
	CHECK_EQ(err, EINVAL);
	CHECK_EQ(sysctl_write(path, "12x", &err), -1);
	CHECK_EQ(err, EINVAL);
	CHECK_EQ(sysctl_write(path, "  \n", &err), -1);
	CHECK_EQ(err, EINVAL);
	CHECK_EQ(sysctl_read(path), 4096);
	/* Root is not held to it: new pipes and F_SETPIPE_SZ as before. */
	int p[2];
	nb_pipe(p, 0);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(p[0], F_SETPIPE_SZ, 1 << 17), 1 << 17);
	close2(p);
	CHECK_EQ(sysctl_write(path, "0x100000", &err), 8);
	CHECK_EQ(sysctl_read(path), 1048576);
}

/* A fault ends a write at the page-sized piece that faulted. */
static void test_fault(void)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED);
	memset(two, 'q', 4096);
	CHECK_OK(munmap(two + 4096, 4096));
	int p[2];
	nb_pipe(p, 0);
	CHECK_ERR(write(p[1], two + 4096, 10), EFAULT);
	CHECK_EQ(nbytes(p[0]), 0);
	CHECK_EQ(write(p[1], two, 8192), 4096);                 /* the first page went in */
	CHECK_EQ(read(p[0], got, sizeof got), 4096);
	CHECK_EQ(got[0], 'q');
	CHECK_EQ(got[4095], 'q');
	CHECK_ERR(read(p[0], got, 1), EAGAIN);
	CHECK_EQ(write(p[1], "zz", 2), 2);
	CHECK_ERR(read(p[0], two + 4096, 2), EFAULT);           /* not consumed */
	CHECK_EQ(read(p[0], got, 2), 2);
	CHECK(!memcmp(got, "zz", 2));
	close2(p);
	CHECK_OK(munmap(two, 4096));
}

int main(void)
{
	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i * 7 + i / 4096);
	test_default_capacity();
	test_merging();
	test_atomic();
	test_big_read();
	test_setpipe_sz();
	test_pipe_max_size();
	test_fault();
	return 0;
}
