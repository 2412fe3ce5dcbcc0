/*
 * Who may signal whom, as Linux's check_kill_permission says: a process
 * itself, root anyone, others a process whose real or saved uid is the
 * sender's real or effective uid; SIGCONT anyone in the same session.
 * kill of one process is then EPERM; of a group, 0 if any member took it;
 * kill(-1) does not count the refusals, and finds someone even alone
 * with init (Linux's kernel threads).  Signal 0 checks only.
 */
#include "check.h"
#include <signal.h>

static long sc(long nr, long a, long b, long c)
{
	long r = raw_syscall6(nr, a, b, c, 0, 0, 0);
	return r < 0 && r > -4096 ? (errno = (int)-r, -1) : r;
}

/* A child that runs with the given ids and waits until its pipe closes;
 * returned once it has its ids (it says so on a second pipe). */
static pid_t idle_child(int uid_r, int uid_e, int uid_s, int *hold)
{
	int p[2], ready[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(ready));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		signal(SIGUSR1, SIG_IGN);
		if (sc(__NR_setresuid32, uid_r, uid_e, uid_s) || write(ready[1], "r", 1) != 1)
			_exit(2);
		char c;
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	char c;
	CHECK_EQ(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(ready[1]);
	*hold = p[1];
	return pid;
}

int main(void)
{
	int hold_root, hold_saved;
	pid_t root_child = idle_child(0, 0, 0, &hold_root);
	pid_t saved_1000 = idle_child(2000, 2000, 1000, &hold_saved);      /* root may set these */
	pid_t parent = getpid();
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (sc(__NR_setresuid32, 1000, 1000, 1000))
			_exit(2);
		int bad = 0;
#define EXPECT_ERR(call, e) do { errno = 0; if ((call) != -1 || errno != (e)) { \
		printf("line %d: %s: errno %d, not %s\n", __LINE__, #call, errno, #e); bad = 1; } } while (0)
#define EXPECT_OK(call) do { errno = 0; if ((call) != 0) { \
		printf("line %d: %s: errno %d\n", __LINE__, #call, errno); bad = 1; } } while (0)
		EXPECT_ERR(kill(root_child, 0), EPERM);         /* signal 0 checks */
		EXPECT_ERR(kill(root_child, SIGUSR1), EPERM);
		EXPECT_ERR(kill(parent, SIGUSR1), EPERM);
		EXPECT_ERR(sc(__NR_tgkill, root_child, root_child, 0), EPERM);
		EXPECT_ERR(sc(__NR_tkill, root_child, SIGUSR1, 0), EPERM);
		EXPECT_OK(kill(root_child, SIGCONT));           /* the same session */
		EXPECT_OK(kill(saved_1000, 0));                 /* its saved uid is ours */
		EXPECT_OK(kill(saved_1000, SIGUSR1));
		EXPECT_OK(kill(getpid(), 0));
		EXPECT_OK(kill(0, 0));                          /* our group: we at least */
		EXPECT_OK(kill(-1, 0));                         /* refusals do not count */
		EXPECT_ERR(kill(root_child, 65), EINVAL);       /* the number before the right */
		EXPECT_ERR(kill(999999, 0), ESRCH);
		_exit(bad ? 3 : 0);
	}
	CHECK_EQ(wait_status(pid), 0);
	close(hold_root);
	close(hold_saved);
	CHECK_EQ(wait_status(root_child), 0);           /* SIGUSR1 never reached it */
	CHECK_EQ(wait_status(saved_1000), 0);
	/* Alone with init: Linux counts its kernel threads, so 0, never ESRCH
	 * (and a bad number is still EINVAL). */
	CHECK_EQ(kill(-1, 0), 0);
	CHECK_ERR(kill(-1, 65), EINVAL);
	return 0;
}
