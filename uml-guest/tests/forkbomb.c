/*
 * guesttest-forkbomb: a fork bomb inside the guest stays inside it.
 *
 * Fork until fork() fails; each child waits on a pipe that only closes
 * when the parent lets go of it.  The guest's process table is finite, so
 * the failure must be EAGAIN (or ENOMEM), not a dead host.  Then close the
 * pipe, reap every child (each must exit 0), and check that one more fork
 * works, now that the table is free again.  Exits 0 when all of that held.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "guesttest.h"

#define MAX_TRIES 10000     /* far above any sane process table */

int main(void)
{
	in_guest_or_exit("guesttest-forkbomb");
	int fds[2];
	if (pipe(fds) != 0) {
		perror("forkbomb: pipe");
		return 1;
	}
	int made = 0, err = 0;
	while (made < MAX_TRIES) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {             /* child: sleep until the pipe closes */
			char c;
			close(fds[1]);
			while (read(fds[0], &c, 1) > 0)
				;
			_exit(0);
		}
		made++;
	}
	close(fds[1]);                  /* every child's read now sees EOF */
	int reaped = 0, bad = 0, status;
	while (wait(&status) > 0) {
		reaped++;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	}
	printf("forkbomb: %d children, then fork failed: %s; reaped %d (%d bad)\n",
	       made, err ? strerror(err) : "never", reaped, bad);
	if (made >= MAX_TRIES || (err != EAGAIN && err != ENOMEM) || reaped != made || bad)
		return 1;

	pid_t pid = fork();             /* the table is free again */
	if (pid == 0)
		_exit(42);
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 42) {
		printf("forkbomb: fork after the bomb failed\n");
		return 1;
	}
	printf("forkbomb: fork after the bomb: ok\n");
	return 0;
}
