/*
 * SIGPIPE: writing to a pipe whose readers are all gone raises SIGPIPE
 * (whose default action kills: status 13); with SIGPIPE ignored, caught or
 * blocked the write fails with EPIPE instead.
 */
#include "sigcheck.h"

static int reader_gone(int p[2])
{
	CHECK_OK(pipe(p));
	CHECK_OK(close(p[0]));
	return p[1];
}

static int write_dies(void *arg)
{
	int p[2], fd = reader_gone(p);
	(void)arg;
	set_disp(SIGPIPE, SIG_DFL);
	write(fd, "x", 1);
	return 0;                       /* not reached */
}

static volatile int got_n;
static siginfo_t got;

static void on_pipe(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	got_n++;
}

int main(void)
{
	int p[2], fd;
	char c;

	set_mask(0);
	watchdog(20);

	/* Default: the writer dies of SIGPIPE. */
	int st = run_child(write_dies, NULL);
	CHECK_EQ(st, SIGPIPE);
	CHECK(WIFSIGNALED(st));

	/* Ignored: EPIPE, every time. */
	set_disp(SIGPIPE, SIG_IGN);
	fd = reader_gone(p);
	CHECK_ERR(write(fd, "x", 1), EPIPE);
	CHECK_ERR(write(fd, "xyz", 3), EPIPE);
	CHECK_EQ(write(fd, "", 0), 0);          /* nothing to write: no error */
	close(fd);

	/* Caught: the handler runs (a signal from ourselves: SI_USER with our
	 * pid), then write returns EPIPE. */
	catch_info(SIGPIPE, on_pipe, 0);
	fd = reader_gone(p);
	got_n = 0;
	CHECK_ERR(write(fd, "x", 1), EPIPE);
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_signo, SIGPIPE);
	CHECK_EQ(got.si_code, SI_USER);
	CHECK_EQ(got.si_pid, getpid());
	CHECK_EQ(got.si_uid, getuid());
	close(fd);

	/* Blocked: EPIPE, and SIGPIPE waits; delivered when unblocked. */
	set_mask(sigmask(SIGPIPE));
	fd = reader_gone(p);
	got_n = 0;
	CHECK_ERR(write(fd, "x", 1), EPIPE);
	sigset_t pend;
	CHECK_OK(sigpending(&pend));
	CHECK_EQ(pend, sigmask(SIGPIPE));
	CHECK_EQ(got_n, 0);
	set_mask(0);
	CHECK_EQ(got_n, 1);
	close(fd);

	/* The reader closes while data is still in the pipe: the same. */
	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_OK(close(p[0]));
	got_n = 0;
	CHECK_ERR(write(p[1], "c", 1), EPIPE);
	CHECK_EQ(got_n, 1);
	close(p[1]);

	/* A reader in another process that exits: the same. */
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(wait_status(pid), 0);
	got_n = 0;
	CHECK_ERR(write(p[1], "z", 1), EPIPE);
	CHECK_EQ(got_n, 1);
	close(p[1]);
	set_disp(SIGPIPE, SIG_DFL);
	return 0;
}
