/*
 * Signal basics: handlers, the mask inside a handler (the signal itself
 * unless SA_NODEFER, plus sa_mask), SA_RESETHAND, SIG_IGN, the old action
 * reported back, rt_sigaction's errors, blocking and pending, the order
 * in which pending signals are delivered, and kill's errors.
 */
#include "sigcheck.h"

static volatile int log_sig[16], log_n;
static volatile sigset_t log_mask[16];

/* Record the signal and the blocked set the handler runs with. */
static void record(int sig)
{
	if (log_n < 16) {
		log_mask[log_n] = get_mask();
		log_sig[log_n++] = sig;
	}
}

static void test_handler_and_mask(void)
{
	log_n = 0;
	catch_plain(SIGUSR1, record, 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(log_n, 1);                     /* delivered before kill returns */
	CHECK_EQ(log_sig[0], SIGUSR1);
	CHECK_EQ(log_mask[0], sigmask(SIGUSR1));/* the signal is blocked inside */
	CHECK_EQ(get_mask(), 0);                /* and unblocked afterwards */

	catch_plain(SIGUSR1, record, SA_NODEFER);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(log_n, 2);
	CHECK_EQ(log_mask[1], 0);

	/* sa_mask is added; SIGKILL and SIGSTOP in it are dropped silently. */
	struct sigaction sa = { .sa_handler = record };
	sa.sa_mask = sigmask(SIGUSR2) | sigmask(SIGRTMIN + 3) | sigmask(SIGKILL) | sigmask(SIGSTOP);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	set_mask(sigmask(SIGHUP));
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(log_n, 3);
	CHECK_EQ(log_mask[2], sigmask(SIGHUP) | sigmask(SIGUSR1) | sigmask(SIGUSR2) | sigmask(SIGRTMIN + 3));
	CHECK_EQ(get_mask(), sigmask(SIGHUP));
	set_mask(0);
}

static void test_resethand(void)
{
	struct sigaction old;

	log_n = 0;
	catch_plain(SIGUSR2, record, SA_RESETHAND);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(log_n, 1);
	CHECK_EQ(log_mask[0], sigmask(SIGUSR2)); /* RESETHAND does not imply NODEFER */
	CHECK_OK(sigaction(SIGUSR2, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_EQ(old.sa_flags, SA_RESETHAND | SA_RESTORER);   /* flags stay */
	/* A second one now kills (in a child). */
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGUSR2);
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), SIGUSR2);
}

static void test_ignore(void)
{
	sigset_t p;

	set_disp(SIGUSR1, SIG_IGN);
	CHECK_OK(raise(SIGUSR1));               /* nothing happens */
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);

	/* Blocked signals are never ignored at once: the handler may change. */
	set_mask(sigmask(SIGUSR1));
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, sigmask(SIGUSR1));
	set_mask(0);                            /* delivered: ignored */
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);

	/* Setting SIG_IGN discards a pending signal. */
	log_n = 0;
	catch_plain(SIGUSR1, record, 0);
	set_mask(sigmask(SIGUSR1));
	CHECK_OK(raise(SIGUSR1));
	set_disp(SIGUSR1, SIG_IGN);
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);
	catch_plain(SIGUSR1, record, 0);
	set_mask(0);
	CHECK_EQ(log_n, 0);

	/* SIG_DFL of a signal whose default is to ignore discards too. */
	set_mask(sigmask(SIGCHLD));
	CHECK_OK(raise(SIGCHLD));
	set_disp(SIGCHLD, SIG_DFL);
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);
	set_mask(0);
}

static void other(int sig) { (void)sig; }

static void test_old_action(void)
{
	struct sigaction a = { .sa_handler = record, .sa_flags = SA_RESTART | SA_NODEFER };
	struct sigaction b = { .sa_handler = other, .sa_flags = SA_UNSUPPORTED };
	struct sigaction old;

	a.sa_mask = sigmask(SIGINT) | sigmask(64);
	CHECK_OK(sigaction(SIGHUP, &a, NULL));
	memset(&old, 0x55, sizeof(old));
	CHECK_OK(sigaction(SIGHUP, &b, &old));
	CHECK(old.sa_handler == record);
	CHECK_EQ(old.sa_flags, SA_RESTART | SA_NODEFER | SA_RESTORER);
	CHECK(old.sa_restorer == __restore);    /* our libc's, for plain handlers */
	CHECK_EQ(old.sa_mask, sigmask(SIGINT) | sigmask(64));
	/* Unknown bits are dropped: that is how SA_UNSUPPORTED detects support. */
	CHECK_OK(sigaction(SIGHUP, NULL, &old));
	CHECK(old.sa_handler == other);
	CHECK_EQ(old.sa_flags, SA_RESTORER);
	/* SA_SIGINFO handlers get the rt restorer. */
	catch_info(SIGHUP, NULL, 0);
	CHECK_OK(sigaction(SIGHUP, NULL, &old));
	CHECK(old.sa_restorer == __restore_rt);
	set_disp(SIGHUP, SIG_DFL);
	/* signal() is sigaction with SA_RESTART and reports the old handler. */
	CHECK(signal(SIGHUP, other) == SIG_DFL);
	CHECK(signal(SIGHUP, SIG_DFL) == other);
	CHECK(signal(SIGKILL, other) == SIG_ERR);
	CHECK_EQ(errno, EINVAL);
}

static void test_errors(void)
{
	struct sigaction sa = { .sa_handler = other }, old;
	struct kernel_sigaction k = { .sa_handler = SIG_DFL };

	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	set_disp(SIGTERM, SIG_DFL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_OK(sigaction(SIGKILL, NULL, &old));    /* asking is allowed */
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(65, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(-1, NULL, &old), EINVAL);
	CHECK_OK(sigaction(64, NULL, &old));
	CHECK_ERR(syscall(__NR_rt_sigaction, SIGUSR1, &k, NULL, 4), EINVAL);
	CHECK_ERR(syscall(__NR_rt_sigaction, SIGUSR1, &k, NULL, 16), EINVAL);
	CHECK_ERR(syscall(__NR_rt_sigaction, SIGUSR1, (void *)8, NULL, 8), EFAULT);
	CHECK_ERR(syscall(__NR_rt_sigaction, SIGUSR1, NULL, (void *)8, 8), EFAULT);

	sigset_t m = ~(sigset_t)0;
	CHECK_ERR(sigprocmask(3, &m, NULL), EINVAL);
	CHECK_ERR(sigprocmask(-1, &m, NULL), EINVAL);
	CHECK_ERR(syscall(__NR_rt_sigprocmask, SIG_BLOCK, &m, NULL, 4), EINVAL);
	CHECK_ERR(sigprocmask(SIG_BLOCK, (void *)8, NULL), EFAULT);
	CHECK_OK(sigprocmask(3, NULL, &m));          /* how is not looked at without a set */
	/* SIGKILL and SIGSTOP cannot be blocked: they are dropped from the set. */
	m = ~(sigset_t)0;
	set_mask(m);
	CHECK_EQ(get_mask(), ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	set_mask(0);
	CHECK_ERR(sigaddset(&m, 0), EINVAL);
	CHECK_ERR(sigaddset(&m, 65), EINVAL);
}

static void test_pending_order(void)
{
	sigset_t p, all = sigmask(SIGUSR1) | sigmask(SIGUSR2) | sigmask(SIGTERM);
	struct sigaction sa = { .sa_handler = record };

	/* Handlers that block the others: they run one after the other,
	 * lowest number first. */
	sa.sa_mask = all;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	CHECK_OK(sigaction(SIGTERM, &sa, NULL));
	log_n = 0;
	set_mask(all);
	CHECK_OK(raise(SIGTERM));
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(raise(SIGUSR1));               /* standard signals do not queue */
	CHECK_EQ(log_n, 0);
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, all);
	set_mask(0);
	CHECK_EQ(log_n, 3);
	CHECK_EQ(log_sig[0], SIGUSR1);
	CHECK_EQ(log_sig[1], SIGUSR2);
	CHECK_EQ(log_sig[2], SIGTERM);
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);

	/*
	 * Linux keeps two pending sets: the thread's (tkill, tgkill, raise,
	 * faults) and the process's (kill).  The same standard signal can be
	 * pending in both, and then it is delivered twice: the thread's
	 * signals first, then the process's.
	 */
	log_n = 0;
	set_mask(all);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_OK(raise(SIGTERM));
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, all);
	set_mask(0);
	CHECK_EQ(log_n, 4);
	CHECK_EQ(log_sig[0], SIGUSR2);          /* the thread's, lowest first */
	CHECK_EQ(log_sig[1], SIGTERM);
	CHECK_EQ(log_sig[2], SIGUSR1);          /* then the process's */
	CHECK_EQ(log_sig[3], SIGUSR2);

	/* Handlers that do not: all three frames are built at once, lowest
	 * first, so the last one built (SIGTERM's) runs first. */
	sa.sa_mask = 0;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	CHECK_OK(sigaction(SIGTERM, &sa, NULL));
	log_n = 0;
	set_mask(all);
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(raise(SIGTERM));
	set_mask(0);
	CHECK_EQ(log_n, 3);
	CHECK_EQ(log_sig[0], SIGTERM);
	CHECK_EQ(log_mask[0], all);             /* blocked by the two frames below */
	CHECK_EQ(log_sig[1], SIGUSR2);
	CHECK_EQ(log_mask[1], sigmask(SIGUSR1) | sigmask(SIGUSR2));
	CHECK_EQ(log_sig[2], SIGUSR1);
	CHECK_EQ(log_mask[2], sigmask(SIGUSR1));

	/* Real-time signals queue: each one sent is delivered. */
	int rt = SIGRTMIN + 2;
	catch_plain(rt, record, 0);
	catch_plain(SIGUSR1, record, 0);
	log_n = 0;
	set_mask(sigmask(rt) | sigmask(SIGUSR1));
	CHECK_OK(raise(rt));
	CHECK_OK(raise(rt));
	CHECK_OK(raise(rt));
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(raise(SIGUSR1));
	set_mask(sigmask(SIGUSR1));
	CHECK_EQ(log_n, 3);
	set_mask(0);
	CHECK_EQ(log_n, 4);
	set_disp(SIGUSR1, SIG_DFL);
	set_disp(SIGUSR2, SIG_DFL);
	set_disp(SIGTERM, SIG_DFL);
}

static void test_kill_errors(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_ERR(kill(pid, SIGUSR1), ESRCH);   /* gone */
	CHECK_ERR(kill(pid, 0), ESRCH);
	CHECK_OK(kill(getpid(), 0));            /* signal 0: only checks */
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK_ERR(kill(getpid(), -1), EINVAL);
	CHECK_ERR(kill(pid, 65), ESRCH);        /* the target is looked up first */
	CHECK_ERR(tgkill(getpid(), pid, SIGUSR1), ESRCH);
	CHECK_ERR(tgkill(0, getpid(), SIGUSR1), EINVAL);
	CHECK_ERR(tgkill(getpid(), 0, SIGUSR1), EINVAL);
	CHECK_ERR(tkill(0, SIGUSR1), EINVAL);
	CHECK_ERR(tkill(pid, SIGUSR1), ESRCH);
	CHECK_OK(tkill(getpid(), 0));
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_handler_and_mask();
	test_resethand();
	test_ignore();
	test_old_action();
	test_errors();
	test_pending_order();
	test_kill_errors();
	return 0;
}
