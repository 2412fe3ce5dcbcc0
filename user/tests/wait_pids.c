/*
 * wait4 and waitpid with every pid value Linux accepts: INT_MIN (ESRCH,
 * before any child is looked at: -INT_MIN is no process group), -1, 0,
 * a process group (-pgid), a group nobody is in, a pid that is no child;
 * a bad option is EINVAL before the pid is looked at; a status pointer
 * that faults is EFAULT, and the child is reaped all the same.
 */
#include "check.h"
#define INT_MIN (-2147483647 - 1)
#include <sys/syscall.h>

static long raw_wait4(int pid, int *st, int opt)
{
	errno = 0;
	long r = __syscall4(__NR_wait4, pid, st, opt, 0);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static long raw_waitpid(int pid, int *st, int opt)
{
	long r = __syscall3(__NR_waitpid, pid, st, opt);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* A child that waits for a byte on fd, then exits with code. */
static pid_t child(int fd, int code, int own_group)
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char c;
		if (own_group)
			setpgid(0, 0);
		read(fd, &c, 1);
		_exit(code);
	}
	if (own_group)
		setpgid(pid, pid);      /* either of us may get there first */
	return pid;
}

int main(void)
{
	int st;
	/* No children at all. */
	CHECK_ERR(raw_wait4(INT_MIN, &st, 0), ESRCH);
	CHECK_ERR(raw_waitpid(INT_MIN, &st, WNOHANG), ESRCH);
	CHECK_ERR(raw_wait4(-1, &st, 0), ECHILD);
	CHECK_ERR(raw_wait4(0, &st, WNOHANG), ECHILD);
	CHECK_ERR(raw_wait4(99999, &st, 0), ECHILD);
	CHECK_ERR(raw_wait4(INT_MIN, &st, 0x40000), EINVAL);    /* options first */
	CHECK_ERR(raw_wait4(INT_MIN + 1, &st, WNOHANG), ECHILD);

	int p[2];
	CHECK_OK(pipe(p));
	pid_t same = child(p[0], 3, 0);         /* in our group */
	pid_t other = child(p[0], 4, 1);        /* in a group of its own */
	CHECK_EQ(getpgid(other), other);
	/* With children: INT_MIN is still ESRCH, a stranger still ECHILD. */
	CHECK_ERR(raw_wait4(INT_MIN, &st, WNOHANG), ESRCH);
	CHECK_ERR(raw_waitpid(INT_MIN, &st, 0), ESRCH);
	CHECK_ERR(raw_wait4(99999, &st, WNOHANG), ECHILD);
	CHECK_ERR(raw_wait4(-99999, &st, WNOHANG), ECHILD);
	CHECK_ERR(raw_wait4(-getpid() - 1000, &st, WNOHANG), ECHILD);
	CHECK_EQ(raw_wait4(-1, &st, WNOHANG), 0);
	CHECK_EQ(raw_wait4(0, &st, WNOHANG), 0);
	CHECK_EQ(raw_wait4(-other, &st, WNOHANG), 0);
	CHECK_EQ(raw_wait4(same, &st, WNOHANG), 0);

	CHECK_EQ(write(p[1], "ab", 2), 2);      /* both exit */
	/* pid 0: our group's child only; -pgid: the other's. */
	st = 0;
	CHECK_EQ(raw_wait4(0, &st, 0), same);
	CHECK_EQ(st, 3 << 8);
	CHECK_ERR(raw_wait4(0, &st, WNOHANG), ECHILD);
	st = 0;
	CHECK_EQ(raw_waitpid(-other, &st, 0), other);
	CHECK_EQ(st, 4 << 8);
	CHECK_ERR(raw_wait4(-other, &st, WNOHANG), ECHILD);

	/* A status pointer that faults: EFAULT, and the zombie is gone. */
	pid_t z = child(p[0], 5, 0);
	CHECK_EQ(write(p[1], "c", 1), 1);
	CHECK_ERR(raw_wait4(z, (int *)16, 0), EFAULT);
	CHECK_ERR(raw_wait4(z, &st, WNOHANG), ECHILD);
	CHECK_ERR(raw_wait4(-1, &st, WNOHANG), ECHILD);
	printf("wait_pids: ok\n");
	return 0;
}
