/*
 * ETXTBSY, as Linux 6.1 has it (i_writecount): a file open for writing
 * cannot be run (execve), and a file a program runs from cannot be opened
 * for writing or truncated, until the last address space made from it is
 * gone.  Reading it, and unlinking it, stay allowed.
 *
 * The program run is a copy of this test (from /proc/self/exe) which,
 * given "wait", says "r" on its stdout and then reads its stdin until the
 * end: so the parent knows that the exec has happened, and decides when
 * it ends, without timing.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>

#define PROG "/tmp/exec-busy-prog"

static void copy_self(void)
{
	static char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	CHECK(in >= 0);
	unlink(PROG);
	int out = open(PROG, O_WRONLY | O_CREAT | O_EXCL, 0755);
	CHECK(out >= 0);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		CHECK_EQ(write(out, buf, n), n);
	CHECK_EQ(n, 0);
	CHECK_OK(close(in));
	CHECK_OK(close(out));
}

/* Fork, exec PROG "wait" with pipes for its stdin and stdout; returns its
 * pid once it has said it runs. */
static pid_t start_prog(int *to_child)
{
	int in[2], out[2];
	CHECK_OK(pipe2(in, O_CLOEXEC));             /* no other child may hold them */
	CHECK_OK(pipe2(out, O_CLOEXEC));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		char *argv[] = { PROG, "wait", 0 };
		execve(PROG, argv, 0);
		_exit(100 + errno);
	}
	close(in[0]);
	close(out[1]);
	char c = 0;
	CHECK_EQ(read(out[0], &c, 1), 1);
	CHECK_EQ(c, 'r');
	close(out[0]);
	*to_child = in[1];
	return pid;
}

/* Run PROG "quick" in a child: its exit status (100 + errno if execve failed). */
static int run_quick(void)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { PROG, "quick", 0 };
		execve(PROG, argv, 0);
		_exit(100 + errno);
	}
	int status = wait_status(pid);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "wait")) {
		char c;
		if (write(1, "r", 1) != 1)
			return 2;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "quick"))
		return 0;

	copy_self();
	CHECK_EQ(run_quick(), 0);

	/* Open for writing, anywhere: execve refuses it. */
	int wr = open(PROG, O_WRONLY);
	CHECK(wr >= 0);
	CHECK_EQ(run_quick(), 100 + ETXTBSY);
	CHECK_OK(close(wr));
	wr = open(PROG, O_RDWR | O_CLOEXEC);       /* close-on-exec comes too late */
	CHECK(wr >= 0);
	CHECK_EQ(run_quick(), 100 + ETXTBSY);
	CHECK_OK(close(wr));
	CHECK_EQ(run_quick(), 0);                   /* closed: runs again */

	/* Running: no writing, no truncating; reading is fine. */
	int to_child;
	pid_t pid = start_prog(&to_child);
	CHECK_ERR(open(PROG, O_WRONLY), ETXTBSY);
	CHECK_ERR(open(PROG, O_RDWR), ETXTBSY);
	CHECK_ERR(open(PROG, O_RDONLY | O_TRUNC), ETXTBSY);
	CHECK_ERR(truncate(PROG, 0), ETXTBSY);
	int rd = open(PROG, O_RDONLY);
	CHECK(rd >= 0);
	CHECK_OK(close(rd));
	CHECK_EQ(run_quick(), 0);                   /* running it twice is fine */
	struct stat64 st;
	CHECK_OK(stat(PROG, &st));
	CHECK(st.st_size > 0);                      /* the refused O_TRUNC cut nothing */

	/* A second program from the same file; the file stays busy until both end. */
	int to_second;
	pid_t second = start_prog(&to_second);
	CHECK_OK(close(to_child));
	CHECK_EQ(wait_status(pid), 0);
	CHECK_ERR(open(PROG, O_WRONLY), ETXTBSY);
	CHECK_OK(close(to_second));
	CHECK_EQ(wait_status(second), 0);
	wr = open(PROG, O_WRONLY);                  /* nothing runs it now */
	CHECK(wr >= 0);
	CHECK_OK(close(wr));

	/* Unlinking a running program is allowed; it runs on. */
	pid = start_prog(&to_child);
	CHECK_OK(unlink(PROG));
	CHECK_OK(close(to_child));
	CHECK_EQ(wait_status(pid), 0);
	return 0;
}
