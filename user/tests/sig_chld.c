/*
 * SIGCHLD: sent to the parent when a child exits, with CLD_EXITED or
 * CLD_KILLED, the child's pid and its exit code or signal; and the two
 * ways of not having zombies: SA_NOCLDWAIT and SIGCHLD set to SIG_IGN
 * (wait then blocks until the children are gone and fails with ECHILD).
 */
#include "sigcheck.h"
#include <sys/resource.h>

static volatile int got_n;
static siginfo_t got;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	got_n++;
}

/* Fork a child that runs how(arg), wait for its SIGCHLD, return its pid. */
static pid_t child_and_signal(void (*how)(int), int arg)
{
	got_n = 0;
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		set_mask(0);
		how(arg);
		_exit(0);
	}
	while (got_n == 0)
		sigsuspend(&(sigset_t){ 0 });   /* SIGCHLD stays blocked outside */
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_signo, SIGCHLD);
	CHECK_EQ(got.si_errno, 0);
	CHECK_EQ(got.si_pid, pid);
	CHECK_EQ(got.si_uid, getuid());
	CHECK(got.si_utime >= 0 && got.si_stime >= 0);
	return pid;
}

static void do_exit(int code)   { _exit(code); }
static void do_kill(int sig)    { raise(sig); }
static void do_fault(int unused)
{
	struct rlimit no_core = { 0, 0 };
	(void)unused;
	volatile int *volatile bad = (int *)16;
	setrlimit(RLIMIT_CORE, &no_core);
	*bad = 0;
}

static void test_sigchld(void)
{
	set_mask(sigmask(SIGCHLD));
	catch_info(SIGCHLD, on_chld, 0);

	pid_t pid = child_and_signal(do_exit, 3);
	CHECK_EQ(got.si_code, CLD_EXITED);
	CHECK_EQ(got.si_status, 3);
	CHECK_EQ(wait_status(pid), 3 << 8);     /* still a zombie until waited for */

	pid = child_and_signal(do_exit, 0);
	CHECK_EQ(got.si_code, CLD_EXITED);
	CHECK_EQ(got.si_status, 0);
	CHECK_EQ(wait_status(pid), 0);

	pid = child_and_signal(do_kill, SIGTERM);
	CHECK_EQ(got.si_code, CLD_KILLED);
	CHECK_EQ(got.si_status, SIGTERM);
	CHECK_EQ(wait_status(pid), SIGTERM);

	pid = child_and_signal(do_kill, SIGKILL);
	CHECK_EQ(got.si_code, CLD_KILLED);
	CHECK_EQ(got.si_status, SIGKILL);
	CHECK_EQ(wait_status(pid), SIGKILL);

	pid = child_and_signal(do_fault, 0);    /* no core file: KILLED, not DUMPED */
	CHECK_EQ(got.si_code, CLD_KILLED);
	CHECK_EQ(got.si_status, SIGSEGV);
	CHECK_EQ(wait_status(pid), SIGSEGV);

	/* Blocked and then ignored by default: nothing pending. */
	set_disp(SIGCHLD, SIG_DFL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait_status(pid), 0);
	sigset_t p;
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p & sigmask(SIGCHLD), sigmask(SIGCHLD));   /* blocked: kept */
	set_mask(0);                                        /* then ignored */
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);
}

/* Children that linger a little, so that wait has to block for them. */
static pid_t slow_child(int ms, int code)
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		sleep_ms(ms);
		_exit(code);
	}
	return pid;
}

static void test_no_zombies(void)
{
	int st;

	/* SA_NOCLDWAIT: the handler still runs, the child is reaped at once. */
	set_mask(sigmask(SIGCHLD));
	catch_info(SIGCHLD, on_chld, SA_NOCLDWAIT);
	pid_t pid = child_and_signal(do_exit, 5);
	CHECK_EQ(got.si_code, CLD_EXITED);
	CHECK_EQ(got.si_status, 5);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);
	CHECK_ERR(kill(pid, 0), ESRCH);
	set_mask(0);

	long long t0 = now_ms();
	pid = slow_child(50, 6);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD); /* waits for it, then ECHILD */
	CHECK(now_ms() - t0 >= 45);
	CHECK_ERR(kill(pid, 0), ESRCH);

	/* SIGCHLD ignored: the same, without a signal. */
	set_disp(SIGCHLD, SIG_IGN);
	t0 = now_ms();
	pid_t a = slow_child(30, 1), b = slow_child(60, 2);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD); /* both gone */
	CHECK(now_ms() - t0 >= 55);
	CHECK_ERR(kill(a, 0), ESRCH);
	CHECK_ERR(kill(b, 0), ESRCH);
	pid = slow_child(0, 0);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);

	/* Back to SIG_DFL: zombies again. */
	set_disp(SIGCHLD, SIG_DFL);
	pid = slow_child(0, 7);
	CHECK_EQ(wait_status(pid), 7 << 8);
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_sigchld();
	test_no_zombies();
	return 0;
}
