/*
 * Limits on processes, as Linux 6.1 has them: kernel.threads-max (all
 * tasks, zombies included; fork beyond it is EAGAIN), kernel.pid_max
 * (pids below it; after reaching it the numbers wrap around to 300,
 * skipping every number in use as a pid or a process group; EAGAIN when
 * none is free), their /proc/sys files with Linux's range checks, and
 * RLIMIT_NPROC, which starts at threads-max / 2 and does not hold root.
 * After each limit is hit and everything is reaped, fork works again.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/resource.h>

#define THREADS_MAX "/proc/sys/kernel/threads-max"
#define PID_MAX "/proc/sys/kernel/pid_max"

static long sysctl_read(const char *path)
{
	char text[32];
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	int n = read(fd, text, sizeof text - 1);
	CHECK(n > 1 && text[n - 1] == '\n');
	CHECK_OK(close(fd));
	text[n] = 0;
	return strtol(text, NULL, 10);
}

/* Write s: 0, or the errno. */
static int sysctl_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	errno = 0;
	int r = write(fd, s, strlen(s));
	int err = errno;
	CHECK_OK(close(fd));
	if (r >= 0)
		CHECK_EQ(r, (int)strlen(s));
	return r < 0 ? err : 0;
}

static void sysctl_set(const char *path, long v)
{
	char s[24];
	snprintf(s, sizeof s, "%ld\n", v);
	CHECK_EQ(sysctl_write(path, s), 0);
	CHECK_EQ(sysctl_read(path), v);
}

static long meminfo_total_kb(void)
{
	static char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK(fd >= 0);
	int n = read(fd, buf, sizeof buf - 1);
	CHECK(n > 0);
	CHECK_OK(close(fd));
	buf[n] = 0;
	char *at = strstr(buf, "MemTotal:");
	CHECK(at != NULL);
	return strtol(at + 9, NULL, 10);
}

static void test_defaults(long threads_max)
{
	CHECK_EQ(sysctl_read(PID_MAX), 32768);
	/* Linux: RAM / (THREAD_SIZE * 8), counted before the boot's memory
	 * is freed, so at most MemTotal / 64 kB. */
	long total = meminfo_total_kb();
	CHECK(threads_max >= 20 && threads_max <= total / 64);
	struct new_utsname u;
	CHECK_OK(uname(&u));
	if (strstr(u.version, "altmm kernel") || strstr(u.version, "uml-guest"))
		CHECK_EQ(threads_max, total / 64);      /* both count all of it (the guest: no table cap) */
	struct rlimit r;
	CHECK_OK(getrlimit(RLIMIT_NPROC, &r));
	CHECK_EQ(r.rlim_cur, threads_max / 2);
	CHECK_EQ(r.rlim_max, threads_max / 2);
}

static void test_ranges(long threads_max)
{
	CHECK_EQ(sysctl_write(THREADS_MAX, "0"), EINVAL);
	CHECK_EQ(sysctl_write(THREADS_MAX, "-1"), EINVAL);
	CHECK_EQ(sysctl_write(THREADS_MAX, "1073741824"), EINVAL);    /* past FUTEX_TID_MASK */
	CHECK_EQ(sysctl_write(THREADS_MAX, "many"), EINVAL);
	CHECK_EQ(sysctl_write(THREADS_MAX, ""), 0);                    /* nothing: nothing done */
	CHECK_EQ(sysctl_read(THREADS_MAX), threads_max);
	sysctl_set(THREADS_MAX, 1073741823);
	sysctl_set(THREADS_MAX, threads_max);
	CHECK_EQ(sysctl_write(PID_MAX, "300"), EINVAL);
	CHECK_EQ(sysctl_write(PID_MAX, "32769"), EINVAL);
	CHECK_EQ(sysctl_write(PID_MAX, "0x8001"), EINVAL);
	CHECK_EQ(sysctl_read(PID_MAX), 32768);
	sysctl_set(PID_MAX, 301);
	CHECK_EQ(sysctl_write(PID_MAX, "0x8000"), 0);
	CHECK_EQ(sysctl_read(PID_MAX), 32768);
	/* As a shell's "echo 4000 > pid_max" opens it: O_TRUNC is no matter. */
	int fd = open(PID_MAX, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "4000\n", 5), 5);
	CHECK_EQ(write(fd, "5000\n", 5), 5);          /* past offset 0: ignored */
	CHECK_OK(close(fd));
	CHECK_EQ(sysctl_read(PID_MAX), 4000);
	sysctl_set(PID_MAX, 32768);
}

/* Fork a child that exits at once (and stays a zombie until reaped). */
static pid_t zombie(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return pid;
}

/* threads-max: zombies count; EAGAIN at it; fork again after reaping. */
static void test_threads_max(long threads_max)
{
	/* How many tasks there are now: the lowest limit that lets one fork. */
	int now = 0;
	for (long t = 1; t < 100000 && !now; t++) {
		sysctl_set(THREADS_MAX, t);
		pid_t pid = zombie();
		if (pid > 0) {
			CHECK_EQ(wait_status(pid), 0);
			now = (int)t - 1;
		} else {
			CHECK_EQ(errno, EAGAIN);
		}
	}
	CHECK(now >= 1);
	enum { ROOM = 8 };
	sysctl_set(THREADS_MAX, now + ROOM);
	pid_t kids[ROOM];
	for (int i = 0; i < ROOM; i++) {
		kids[i] = zombie();
		CHECK(kids[i] > 0);
	}
	CHECK_ERR(fork(), EAGAIN);
	CHECK_ERR(fork(), EAGAIN);
	for (int i = 0; i < ROOM; i++)
		CHECK_EQ(wait_status(kids[i]), 0);
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);
	for (int i = 0; i < ROOM; i++) {              /* the room is back */
		kids[i] = zombie();
		CHECK(kids[i] > 0);
	}
	CHECK_ERR(fork(), EAGAIN);
	for (int i = 0; i < ROOM; i++)
		CHECK_EQ(wait_status(kids[i]), 0);
	sysctl_set(THREADS_MAX, threads_max);
	pid_t pid = zombie();
	CHECK(pid > 0);
	CHECK_EQ(wait_status(pid), 0);
}

/* A child that waits until its pipe's write end closes, then exits.  It
 * keeps no other descriptor: another holder's write end would keep that
 * one waiting. */
static pid_t holder(int p[2])
{
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		for (int fd = 3; fd < 64; fd++)
			if (fd != p[0])
				close(fd);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	CHECK_OK(close(p[0]));
	return pid;
}

/* pid_max 302: after the wrap only 300 and 301 are left. */
static void test_pid_max(void)
{
	sysctl_set(PID_MAX, 302);
	/* Fork and reap until 301 was the last pid: the next search wraps. */
	pid_t pid = 0;
	for (int i = 0; i < 2000 && pid != 301; i++) {
		pid = zombie();
		CHECK(pid > 0 && pid < 302);
		CHECK_EQ(wait_status(pid), 0);
	}
	CHECK_EQ(pid, 301);
	/* Two pids, then no more. */
	int px[2], py[2];
	pid_t x = holder(px), y = holder(py);
	CHECK_EQ(x, 300);
	CHECK_EQ(y, 301);
	CHECK_ERR(fork(), EAGAIN);
	/* x's number as a process group only: still not free. */
	CHECK_OK(setpgid(x, x));
	CHECK_OK(setpgid(y, x));
	CHECK_OK(close(px[1]));
	CHECK_EQ(wait_status(x), 0);
	CHECK_EQ(getpgid(y), x);
	CHECK_ERR(fork(), EAGAIN);
	/* Everything reaped: fork again, from 300. */
	CHECK_OK(close(py[1]));
	CHECK_EQ(wait_status(y), 0);
	pid = zombie();
	CHECK_EQ(pid, 300);
	pid_t next = zombie();
	CHECK_EQ(next, 301);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(wait_status(next), 0);
	pid = zombie();
	CHECK_EQ(pid, 300);
	CHECK_EQ(wait_status(pid), 0);
	sysctl_set(PID_MAX, 32768);
	pid = zombie();
	CHECK(pid > 300);
	CHECK_EQ(wait_status(pid), 0);
}

/* RLIMIT_NPROC does not hold root (every process here). */
static int nproc_root(void *unused)
{
	(void)unused;
	struct rlimit one = { 1, 1 };
	CHECK_OK(setrlimit(RLIMIT_NPROC, &one));
	pid_t a = zombie(), b = zombie();
	CHECK(a > 0 && b > 0);
	CHECK_EQ(wait_status(a), 0);
	CHECK_EQ(wait_status(b), 0);
	struct rlimit r;
	CHECK_OK(getrlimit(RLIMIT_NPROC, &r));
	CHECK_EQ(r.rlim_cur, 1);
	return 0;
}

int main(void)
{
	long threads_max = sysctl_read(THREADS_MAX);
	test_defaults(threads_max);
	test_ranges(threads_max);
	test_threads_max(threads_max);
	test_pid_max();
	CHECK_EQ(run_child(nproc_root, NULL), 0);
	CHECK_EQ(sysctl_read(THREADS_MAX), threads_max);
	CHECK_EQ(sysctl_read(PID_MAX), 32768);
	return 0;
}
