/*
 * Named pipes (FIFOs), as Linux 6.1's fifo_open has them: mknod(S_IFIFO)
 * makes one (no privilege needed); opening it for reading waits for a
 * writer and the other way round, O_NONBLOCK readers open at once and
 * O_NONBLOCK writers with no reader get ENXIO, O_RDWR never waits; the
 * data path is the pipe's, and the bytes go when the last end closes.
 *
 * Whether an open is waiting is seen without timing: the opener is a child
 * that does nothing else, so once /proc/PID/stat says it sleeps ('S') it
 * sleeps in open, and a pipe it writes to after open returns is empty.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sched.h>

#define FIFO "/tmp/fifo-test"

static int mkfifo_raw(const char *path, mode_t mode)
{
	return mknod(path, S_IFIFO | mode, 0);
}

/* The state letter of /proc/PID/stat (field 3, after the ")" of comm). */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	CHECK(n > 0);
	close(fd);
	buf[n] = 0;
	char *paren = strrchr(buf, ')');
	CHECK(paren && paren[1] == ' ');
	return paren[2];
}

static void wait_until_sleeping(pid_t pid)
{
	while (proc_state(pid) != 'S')
		sched_yield();
}

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	CHECK(poll(&p, 1, 0) >= 0);
	return p.revents;
}

static int pipe_empty(int fd)
{
	return !(revents(fd, POLLIN) & POLLIN);
}

static void test_make(void)
{
	struct stat64 st;
	unlink(FIFO);
	umask(022);
	CHECK_OK(mkfifo_raw(FIFO, 0666));
	CHECK_OK(stat(FIFO, &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0644);             /* the umask applies */
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_rdev, 0);                        /* dev is ignored for FIFOs */
	CHECK_ERR(mkfifo_raw(FIFO, 0600), EEXIST);
	CHECK_ERR(mknod("/tmp/fifo-bad", 0170000 | 0600, 0), EINVAL);  /* no such type */
	CHECK_EQ(raw_syscall6(__NR_mknodat, AT_FDCWD, (long)"/tmp/no-such-dir/f", S_IFIFO | 0600, 0, 0, 0),
	         -ENOENT);
	CHECK_ERR(open(FIFO, 3), EINVAL);               /* access mode 3: neither end */
}

/* Non-blocking opens and the data path. */
static void test_nonblocking(void)
{
	char buf[8];
	CHECK_ERR(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO);    /* no reader */
	int rd = open(FIFO, O_RDONLY | O_NONBLOCK);             /* opens at once */
	CHECK(rd >= 0);
	CHECK_EQ(read(rd, buf, sizeof buf), 0);                 /* no writer: end of file */
	CHECK_EQ(revents(rd, POLLIN), 0);       /* and no hang-up before a writer came */
	int wr = open(FIFO, O_WRONLY | O_NONBLOCK);             /* a reader is there now */
	CHECK(wr >= 0);
	CHECK_EQ(revents(wr, POLLOUT), POLLOUT);
	CHECK_EQ(write(wr, "abc", 3), 3);
	int n = -1;
	CHECK_OK(ioctl(rd, FIONREAD, &n));
	CHECK_EQ(n, 3);
	CHECK_EQ(fcntl(wr, F_GETPIPE_SZ), 65536);
	CHECK_EQ(read(rd, buf, sizeof buf), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_ERR(read(rd, buf, sizeof buf), EAGAIN);           /* a writer, no bytes */
	CHECK_ERR(lseek(rd, 0, SEEK_SET), ESPIPE);
	int rd2 = open(FIFO, O_RDONLY | O_NONBLOCK);            /* a writer is there */
	CHECK(rd2 >= 0);
	CHECK_OK(close(wr));
	CHECK_EQ(revents(rd, POLLIN), POLLHUP);                 /* the writer came and went */
	CHECK_EQ(revents(rd2, POLLIN), POLLHUP);                /* it saw the writer too */
	CHECK_OK(close(rd2));
	CHECK_EQ(read(rd, buf, sizeof buf), 0);
	CHECK_OK(close(rd));

	/* O_RDWR opens alone; the bytes left at the last close are gone. */
	int both = open(FIFO, O_RDWR);
	CHECK(both >= 0);
	CHECK_EQ(write(both, "x", 1), 1);
	CHECK_OK(close(both));
	both = open(FIFO, O_RDWR | O_NONBLOCK);
	CHECK(both >= 0);
	CHECK_ERR(read(both, buf, 1), EAGAIN);
	CHECK_OK(close(both));
}

struct opener { int flags; int report; };

static int open_and_report(void *arg)
{
	const struct opener *o = arg;
	int fd = open(FIFO, o->flags);
	if (fd < 0)
		return 2;
	char c = 'o';
	if (write(o->report, &c, 1) != 1)
		return 3;
	if ((o->flags & O_ACCMODE) == O_RDONLY) {       /* read what the parent sends */
		char buf[8] = {0};
		if (read(fd, buf, sizeof buf) != 5 || memcmp(buf, "hello", 5))
			return 4;
	} else if (write(fd, "hello", 5) != 5) {
		return 5;
	}
	return 0;
}

static pid_t spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

/* A blocking open waits for the other end, whichever end it is. */
static void test_blocking(int flags, int peer_flags)
{
	int report[2];
	CHECK_OK(pipe(report));
	struct opener o = { flags, report[1] };
	pid_t child = spawn(open_and_report, &o);
	wait_until_sleeping(child);
	CHECK(pipe_empty(report[0]));                   /* its open has not returned */
	int fd = open(FIFO, peer_flags);                /* the other end: both go on */
	CHECK(fd >= 0);
	char c;
	CHECK_EQ(read(report[0], &c, 1), 1);
	if ((flags & O_ACCMODE) == O_RDONLY) {        /* the child reads, we write */
		CHECK_EQ(write(fd, "hello", 5), 5);
	} else {
		char buf[8] = {0};
		CHECK_EQ(read(fd, buf, sizeof buf), 5);
		CHECK(memcmp(buf, "hello", 5) == 0);
	}
	CHECK_EQ(wait_status(child), 0);
	CHECK_OK(close(fd));
	close(report[0]);
	close(report[1]);
}

static void on_usr1(int sig) { (void)sig; }

static int open_interrupted(void *arg)
{
	(void)arg;
	struct sigaction sa = { .sa_handler = on_usr1 };        /* no SA_RESTART */
	if (sigaction(SIGUSR1, &sa, 0))
		return 2;
	int fd = open(FIFO, O_RDONLY);
	return fd == -1 && errno == EINTR ? 0 : 3;
}

/* A signal ends the wait with EINTR, and the reader is not counted then. */
static void test_interrupted(void)
{
	pid_t child = spawn(open_interrupted, 0);
	wait_until_sleeping(child);
	CHECK_OK(kill(child, SIGUSR1));
	CHECK_EQ(wait_status(child), 0);
	CHECK_ERR(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO);    /* no reader left */
}

/* An unlinked FIFO still works for those who have it open. */
static void test_unlinked(void)
{
	int rd = open(FIFO, O_RDONLY | O_NONBLOCK);
	CHECK(rd >= 0);
	int wr = open(FIFO, O_WRONLY);
	CHECK(wr >= 0);
	CHECK_OK(unlink(FIFO));
	CHECK_EQ(write(wr, "zz", 2), 2);
	char buf[4];
	CHECK_EQ(read(rd, buf, sizeof buf), 2);
	CHECK_OK(close(wr));
	CHECK_OK(close(rd));
	CHECK_ERR(open(FIFO, O_RDONLY | O_NONBLOCK), ENOENT);
}

int main(void)
{
	test_make();
	test_nonblocking();
	test_blocking(O_RDONLY, O_WRONLY);
	test_blocking(O_WRONLY, O_RDONLY);
	test_blocking(O_RDONLY, O_RDWR);
	test_interrupted();
	test_unlinked();
	return 0;
}
