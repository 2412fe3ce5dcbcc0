/*
 * Default actions, seen through wait4's status word: which signals
 * terminate, which "dump core" (no core flag with RLIMIT_CORE 0), which
 * are ignored; SIGKILL beats everything; and what fork and execve keep:
 * SIG_IGN and the blocked mask survive both, handlers survive fork but
 * become SIG_DFL in execve, pending signals are not inherited by a fork
 * child but stay pending across execve.
 */
#include "sigcheck.h"
#include <sys/resource.h>

/* In a child: raise sig with its default action; exit 0 if we survive. */
static int raise_default(void *arg)
{
	int sig = (intptr_t)arg;
	struct rlimit no_core = { 0, 0 };

	CHECK_OK(setrlimit(RLIMIT_CORE, &no_core));
	if (sig != SIGKILL)                     /* (setting it at all is EINVAL) */
		set_disp(sig, SIG_DFL);
	CHECK_OK(raise(sig));
	return 0;
}

static void test_actions(void)
{
	static const int term[] = { SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
	                            SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGKILL,
	                            SIGRTMIN, SIGRTMIN + 8, SIGRTMAX };
	static const int core[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
	                            SIGXCPU, SIGXFSZ, SIGSYS };
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };

	for (unsigned i = 0; i < sizeof(term) / sizeof(term[0]); i++) {
		int st = run_child(raise_default, (void *)(intptr_t)term[i]);
		CHECK_EQ(st, term[i]);
		CHECK(WIFSIGNALED(st));
		CHECK_EQ(WTERMSIG(st), term[i]);
	}
	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		int st = run_child(raise_default, (void *)(intptr_t)core[i]);
		CHECK_EQ(st, core[i]);          /* no 0x80: nothing was dumped */
		CHECK_EQ(st & 0x80, 0);
	}
	for (unsigned i = 0; i < sizeof(ign) / sizeof(ign[0]); i++)
		CHECK_EQ(run_child(raise_default, (void *)(intptr_t)ign[i]), 0);
}

/* SIGKILL: not catchable, not ignorable, not blockable. */
static int kill_self_blocked(void *arg)
{
	(void)arg;
	set_mask(~(sigset_t)0);
	raise(SIGKILL);
	return 0;
}

static void test_sigkill(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_EQ(run_child(kill_self_blocked, NULL), SIGKILL);

	/* A terminating signal reaches a child asleep in a system call. */
	for (int i = 0; i < 2; i++) {
		int sig = i ? SIGKILL : SIGTERM;
		int p[2];
		char c;
		CHECK_OK(pipe(p));
		pid_t pid = fork();
		CHECK_OK(pid);
		if (pid == 0) {
			alarm(30);              /* never outlive a failed test */
			close(p[0]);
			write(p[1], "r", 1);
			pause();
			_exit(0);
		}
		close(p[1]);
		CHECK_EQ(read(p[0], &c, 1), 1);    /* it is about to pause */
		close(p[0]);
		sleep_ms(20);
		CHECK_OK(kill(pid, sig));
		CHECK_EQ(wait_status(pid), sig);
	}
}

static volatile int caught;
static void catcher(int sig) { caught = sig; }

/* After fork: SIG_IGN, handlers, the mask are kept; pending is not. */
static void test_fork(void)
{
	set_disp(SIGUSR1, SIG_IGN);
	catch_plain(SIGUSR2, catcher, 0);
	set_mask(sigmask(SIGHUP));
	CHECK_OK(raise(SIGHUP));                /* pending in the parent */
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t p;
		if (sigpending(&p) < 0 || p != 0)
			_exit(1);
		if (get_mask() != sigmask(SIGHUP))
			_exit(2);
		raise(SIGUSR1);                 /* ignored */
		caught = 0;
		raise(SIGUSR2);
		_exit(caught == SIGUSR2 ? 0 : 3);
	}
	CHECK_EQ(wait_status(pid), 0);
	sigset_t p;
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, sigmask(SIGHUP));           /* still ours */
	set_disp(SIGHUP, SIG_IGN);
	set_mask(0);
	set_disp(SIGHUP, SIG_DFL);
}

/*
 * After execve (run in the new image, which main() calls with argv[1] =
 * "exec-check"): SIGUSR1 still ignored, SIGUSR2 back to SIG_DFL, every
 * action's flags, restorer and mask cleared, SIGINT still blocked and
 * still pending, no alternate stack.
 */
static int exec_check(void)
{
	struct sigaction sa;
	sigset_t p;
	stack_t ss;

	CHECK_OK(sigaction(SIGUSR1, NULL, &sa));
	CHECK(sa.sa_handler == SIG_IGN);
	CHECK_EQ(sa.sa_flags, 0);
	CHECK(sa.sa_restorer == NULL);
	CHECK_EQ(sa.sa_mask, 0);
	CHECK_OK(sigaction(SIGUSR2, NULL, &sa));
	CHECK(sa.sa_handler == SIG_DFL);
	CHECK_EQ(sa.sa_flags, 0);
	CHECK(sa.sa_restorer == NULL);
	CHECK_EQ(sa.sa_mask, 0);
	CHECK_EQ(get_mask(), sigmask(SIGINT));
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, sigmask(SIGINT));
	CHECK_OK(sigaltstack(NULL, &ss));
	CHECK_EQ(ss.ss_flags, SS_DISABLE);
	return 0;
}

static char altstack[SIGSTKSZ];

static void test_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = catcher, .sa_flags = SA_RESTART | SA_ONSTACK };
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
		char *argv[] = { "sig_default", "exec-check", NULL };

		sa.sa_mask = sigmask(SIGTERM);
		sigaction(SIGUSR2, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGUSR1, &sa, NULL);
		sigaltstack(&ss, NULL);
		set_mask(sigmask(SIGINT));
		raise(SIGINT);
		execve("/proc/self/exe", argv, environ);
		_exit(99);
	}
	CHECK_EQ(wait_status(pid), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check"))
		return exec_check();
	set_mask(0);
	watchdog(30);
	test_actions();
	test_sigkill();
	test_fork();
	test_exec();
	return 0;
}
