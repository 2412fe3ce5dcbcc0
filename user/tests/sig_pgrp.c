/*
 * Process groups and sessions: getpgrp/getpgid/setpgid and their errors
 * (EINVAL, ESRCH, EPERM, EACCES after exec), setsid and getsid, and
 * signals to a group: kill(0, sig), kill(-pgrp, sig), killpg, which reach
 * the members of the group and no one else.
 */
#include "sigcheck.h"
#include <fcntl.h>

static volatile int parent_hit;
static void on_usr(int sig) { (void)sig; parent_hit++; }

/*
 * A child that joins group pgid (0: its own, -1: stays in ours), reports
 * on the ready pipe, and then either sleeps, or (go_fd >= 0) waits for a
 * byte on go_fd and sends sig to its own group with kill(0, sig).
 */
static pid_t spawn(pid_t pgid, int ready_fd, int go_fd, int sig)
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char c;
		set_disp(SIGUSR1, SIG_DFL);
		set_disp(SIGUSR2, SIG_DFL);
		set_disp(SIGHUP, SIG_DFL);
		if (pgid >= 0 && setpgid(0, pgid) < 0)
			_exit(10);
		write(ready_fd, "r", 1);
		alarm(30);                      /* never outlive a failed test */
		if (go_fd >= 0 && read(go_fd, &c, 1) == 1)
			kill(0, sig);
		for (;;)
			pause();
	}
	if (pgid >= 0)
		CHECK_OK(setpgid(pid, pgid ? pgid : pid));   /* both sides, as a shell does */
	char c;
	CHECK_EQ(read(ready_fd - 1, &c, 1), 1);         /* ready_fd - 1: the read end */
	return pid;
}

static void test_group_signals(void)
{
	int ready[2], go[2];

	catch_plain(SIGUSR1, on_usr, 0);
	catch_plain(SIGUSR2, on_usr, 0);
	catch_plain(SIGHUP, on_usr, 0);
	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(go));
	CHECK_EQ(ready[1], ready[0] + 1);
	parent_hit = 0;

	/* kill(0, sig) from a: a and b (its group) die, c (ours) lives. */
	pid_t a = spawn(0, ready[1], go[0], SIGUSR1);
	pid_t b = spawn(a, ready[1], -1, 0);
	pid_t c = spawn(-1, ready[1], -1, 0);
	CHECK_EQ(getpgid(a), a);
	CHECK_EQ(getpgid(b), a);
	CHECK_EQ(getpgid(c), getpgrp());
	CHECK_EQ(write(go[1], "g", 1), 1);
	CHECK_EQ(wait_status(a), SIGUSR1);
	CHECK_EQ(wait_status(b), SIGUSR1);
	CHECK_OK(kill(c, 0));                   /* still there */

	/* kill(-pgrp, sig) and killpg(pgrp, sig) from outside the group. */
	for (int i = 0; i < 2; i++) {
		int sig = i ? SIGHUP : SIGUSR2;
		a = spawn(0, ready[1], -1, 0);
		b = spawn(a, ready[1], -1, 0);
		if (i)
			CHECK_OK(killpg(a, sig));
		else
			CHECK_OK(kill(-a, sig));
		CHECK_EQ(wait_status(a), sig);
		CHECK_EQ(wait_status(b), sig);
	}
	CHECK_EQ(parent_hit, 0);                /* we were never in those groups */
	CHECK_OK(kill(c, SIGTERM));
	CHECK_EQ(wait_status(c), SIGTERM);

	/* Groups that do not exist (a's is gone now). */
	CHECK_ERR(kill(-a, SIGUSR1), ESRCH);
	CHECK_ERR(killpg(a, SIGUSR1), ESRCH);
	CHECK_ERR(killpg(-1, SIGUSR1), EINVAL);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	set_disp(SIGUSR1, SIG_DFL);
	set_disp(SIGUSR2, SIG_DFL);
	set_disp(SIGHUP, SIG_DFL);
}

static void test_setpgid(void)
{
	int ready[2];
	pid_t gone = fork();

	if (gone == 0)
		_exit(0);
	CHECK_EQ(wait_status(gone), 0);
	CHECK_EQ(getpgrp(), getpgid(0));
	CHECK_EQ(getpgid(getpid()), getpgid(0));
	CHECK_EQ(getsid(0), getsid(getpid()));
	CHECK_ERR(getpgid(gone), ESRCH);
	CHECK_ERR(getsid(gone), ESRCH);
	CHECK_ERR(setpgid(-1, 0), EINVAL);
	CHECK_ERR(setpgid(0, -1), EINVAL);
	CHECK_ERR(setpgid(gone, 0), ESRCH);             /* no such process */
	CHECK_ERR(setpgid(getppid(), 0), ESRCH);        /* not ours */

	CHECK_OK(pipe(ready));
	pid_t a = spawn(-1, ready[1], -1, 0);
	CHECK_OK(setpgid(a, a));                        /* its own group */
	CHECK_EQ(getpgid(a), a);
	CHECK_OK(setpgid(a, getpgrp()));                /* and back to ours */
	CHECK_EQ(getpgid(a), getpgrp());
	CHECK_ERR(setpgid(a, gone), EPERM);             /* no such group here */
	CHECK_OK(kill(a, SIGKILL));
	CHECK_EQ(wait_status(a), SIGKILL);

	/* After the child's execve the parent may not move it: EACCES. */
	int sync[2];
	CHECK_OK(pipe2(sync, O_CLOEXEC));
	pid_t e = fork();
	if (e == 0) {
		char *argv[] = { "sig_pgrp", "sleep", NULL };
		execve("/proc/self/exe", argv, environ);
		_exit(99);
	}
	close(sync[1]);
	char c;
	CHECK_EQ(read(sync[0], &c, 1), 0);              /* EOF: exec done */
	close(sync[0]);
	CHECK_ERR(setpgid(e, e), EACCES);
	CHECK_OK(kill(e, SIGKILL));
	CHECK_EQ(wait_status(e), SIGKILL);
	close(ready[0]);
	close(ready[1]);
}

/* setsid in a child: a new session and group named after it. */
static int new_session(void *arg)
{
	(void)arg;
	pid_t me = getpid();
	if (setsid() != me || getsid(0) != me || getpgrp() != me)
		return 1;
	errno = 0;
	if (setsid() != -1 || errno != EPERM)          /* a group leader already */
		return 2;
	errno = 0;
	if (setpgid(0, getppid()) != -1 || errno != EPERM)  /* a session leader */
		return 3;
	return 0;
}

static int leader_setsid(void *arg)
{
	(void)arg;
	if (setpgid(0, 0) < 0)
		return 1;
	errno = 0;
	return setsid() == -1 && errno == EPERM ? 0 : 2;
}

static void test_setsid(void)
{
	CHECK_EQ(run_child(new_session, NULL), 0);
	CHECK_EQ(run_child(leader_setsid, NULL), 0);

	/* The parent cannot pull a child of another session into its group. */
	int p[2];
	char c;
	CHECK_OK(pipe(p));
	pid_t s = fork();
	if (s == 0) {
		alarm(30);
		setsid();
		write(p[1], "s", 1);
		for (;;)
			pause();
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(getsid(s), s);
	CHECK_ERR(setpgid(s, getpgrp()), EPERM);
	CHECK_ERR(setpgid(s, s), EPERM);
	CHECK_OK(kill(s, SIGKILL));
	CHECK_EQ(wait_status(s), SIGKILL);
	CHECK_ERR(tcgetpgrp(p[0]), ENOTTY);             /* a pipe is no terminal */
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sleep")) {
		alarm(30);
		for (;;)
			pause();
	}
	set_mask(0);
	watchdog(20);
	/* Be a group leader: children of init (runtests on Linux) are in
	 * group 0, which is no real group. */
	CHECK_OK(setpgid(0, 0));
	CHECK_EQ(getpgrp(), getpid());
	test_setpgid();
	test_setsid();
	test_group_signals();
	return 0;
}
