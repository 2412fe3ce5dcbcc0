/*
 * Stopping and continuing (job control): SIGSTOP stops a child, wait4
 * with WUNTRACED reports it (status 0x137f), SIGCONT resumes it (WCONTINUED:
 * 0xffff) and runs its SIGCONT handler, the parent gets SIGCHLD with
 * CLD_STOPPED / CLD_CONTINUED unless SA_NOCLDSTOP, signals sent while
 * stopped wait until it runs again, and SIGKILL ends a stopped process.
 */
#include "sigcheck.h"
#include <sys/ioctl.h>

static volatile int got_n;
static siginfo_t got;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	got_n++;
}

static int report_fd;
static void child_says(int sig)
{
	char c = (char)sig;
	write(report_fd, &c, 1);
}

/* A child that reports each SIGCONT and SIGUSR1 it catches on a pipe. */
static pid_t spawn(int p[2])
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		alarm(30);                      /* never outlive a failed test */
		report_fd = p[1];
		catch_plain(SIGCONT, child_says, 0);
		catch_plain(SIGUSR1, child_says, 0);
		set_mask(0);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	return pid;
}

static void wait_chld(int code, int status)
{
	while (got_n == 0)
		sigsuspend(&(sigset_t){ 0 });
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_code, code);
	CHECK_EQ(got.si_status, status);
	got_n = 0;
}

int main(void)
{
	int p[2], st;
	char c;

	set_mask(sigmask(SIGCHLD));
	watchdog(20);
	catch_info(SIGCHLD, on_chld, 0);
	CHECK_OK(pipe(p));
	got_n = 0;
	pid_t pid = spawn(p);

	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK_EQ(st, 0x137f);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGSTOP);
	wait_chld(CLD_STOPPED, SIGSTOP);
	CHECK_EQ(got.si_pid, pid);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED | WNOHANG), 0);  /* reported once */

	/* While stopped, a caught signal waits. */
	CHECK_OK(kill(pid, SIGUSR1));
	sleep_ms(50);
	int n = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &n));
	CHECK_EQ(n, 0);

	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK_EQ(st, 0xffff);
	CHECK(WIFCONTINUED(st));
	wait_chld(CLD_CONTINUED, SIGCONT);
	/* Both handlers ran once it was going again (in some order). */
	char got2[2];
	CHECK_EQ(read(p[0], got2, 1), 1);
	CHECK_EQ(read(p[0], got2 + 1, 1), 1);
	CHECK((got2[0] == SIGCONT && got2[1] == SIGUSR1) || (got2[0] == SIGUSR1 && got2[1] == SIGCONT));

	/* SA_NOCLDSTOP: no SIGCHLD for stopping (nor for continuing). */
	catch_info(SIGCHLD, on_chld, SA_NOCLDSTOP);
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK_EQ(st, 0x137f);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, SIGCONT);
	sigset_t pend;
	CHECK_OK(sigpending(&pend));
	CHECK_EQ(pend, 0);
	CHECK_EQ(got_n, 0);

	/* SIGKILL ends a stopped process. */
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_EQ(wait_status(pid), SIGKILL);
	close(p[0]);
	close(p[1]);
	return 0;
}
