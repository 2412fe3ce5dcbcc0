/*
 * Orphans go to init, and what they do cannot end it.  A process made
 * with clone and SIGBUS as its exit signal outlives its parent: it is
 * given to init (its parent pid becomes 1), and when it ends its exit
 * signal must not kill init (Linux turns an orphan's exit signal into
 * SIGCHLD, "we don't want people slaying init"; our kernels drop what
 * init has no handler for).  Nor can kill or tgkill of SIGTERM, which
 * init does not catch.  The guest kernel once died of both (its init,
 * runtests here, was killed), so a failure shows as the end of the whole
 * test run inside the guest.
 */
#include "check.h"
#include <sched.h>

int main(void)
{
	int p[2];
	CHECK_OK(pipe(p));
	fflush(NULL);
	pid_t a = fork();
	CHECK_OK(a);
	if (a == 0) {
		pid_t parent = getpid();
		long g = raw_syscall6(__NR_clone, SIGBUS, 0, 0, 0, 0, 0);
		if (g == 0) {           /* the orphan-to-be: wait until its parent is gone */
			close(p[0]);
			while (getppid() == parent)
				sched_yield();
			int ppid = getppid();
			write(p[1], &ppid, sizeof ppid);
			_exit(0);       /* init hears of it, and lives */
		}
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	CHECK_EQ(wait_status(a), 0);
	int ppid = 0;
	CHECK_EQ(read(p[0], &ppid, sizeof ppid), (long)sizeof ppid);
	CHECK_EQ(ppid, 1);
	CHECK_EQ(read(p[0], &ppid, sizeof ppid), 0);    /* it has ended */
	close(p[0]);

	/* Signals init does not catch are not delivered to it. */
	CHECK_OK(kill(1, SIGTERM));
	CHECK_OK(tgkill(1, 1, SIGTERM));
	CHECK_OK(kill(1, 0));
	return 0;
}
