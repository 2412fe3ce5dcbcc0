/*
 * init [PROGRAM [ARGS...]]: the first process.
 *
 * 1. Make sure descriptors 0, 1 and 2 are open: if 0 is not, open
 *    /dev/console on all three.  (Linux opens them for init itself; our
 *    kernel may or may not.)
 * 2. Run PROGRAM (default /bin/sh) in a child, with a small environment.
 * 3. Wait.  Orphaned processes become our children, so reap whatever
 *    exits; when the shell exits, say so and start a new one (after a
 *    second, so a shell that cannot start does not spin).
 *
 * init mounts nothing and never exits: on Linux the death of PID 1 is a
 * kernel panic.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static char *default_argv[] = { "/bin/sh", NULL };
static char *env[] = { "PATH=/bin", "HOME=/", "TERM=linux", NULL };

static void open_console(void)
{
	if (fcntl(0, F_GETFD) >= 0)
		return;
	int fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;                 /* nowhere to talk to: carry on silently */
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static pid_t start(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, env);
		dprintf(2, "init: cannot run %s\n", argv[0]);
		_exit(127);
	}
	if (pid < 0)
		dprintf(2, "init: fork failed\n");
	return pid;
}

int main(int argc, char **argv)
{
	char **prog = argc > 1 ? argv + 1 : default_argv;

	open_console();
	chdir("/");
	pid_t shell = start(prog);
	for (;;) {
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			/* No children at all (fork failed): try again later. */
			sleep(1);
			shell = start(prog);
			continue;
		}
		if (pid != shell)
			continue;           /* an orphan, now reaped */
		if (WIFSIGNALED(st))
			dprintf(2, "init: %s killed by signal %d; restarting\n", prog[0], WTERMSIG(st));
		else
			dprintf(2, "init: %s exited with status %d; restarting\n", prog[0], WEXITSTATUS(st));
		sleep(1);
		shell = start(prog);
	}
}
