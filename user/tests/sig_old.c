/*
 * The old (non-rt) signal calls of i386, with 32-bit masks (signals
 * 1..32): sigaction (67), signal (48), sigprocmask (126), sigpending (73)
 * and sigsuspend (72); what they leave of signals 33..64; their errors.
 */
#include "check.h"

#define HIGH 40                         /* a signal the old masks cannot name */

static volatile int caught, caught_sig;
static volatile uint64_t mask_in_handler;

static void handler(int sig)
{
	caught++;
	caught_sig = sig;
	uint64_t m;
	syscall(__NR_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	mask_in_handler = m;
}

static uint64_t blocked(void)
{
	uint64_t m;
	CHECK_EQ(syscall(__NR_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8), 0);
	return m;
}

static void set_blocked(uint64_t m)
{
	CHECK_EQ(syscall(__NR_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8), 0);
}

static void test_sigaction(void)
{
	struct old_sigaction a = { 0 }, old;
	struct kernel_sigaction k;
	a.sa_handler = handler;
	a.sa_mask = (uint32_t)sigmask(SIGUSR2);
	a.sa_flags = SA_RESTART | SA_RESTORER;
	a.sa_restorer = __restore;
	memset(&old, 0x55, sizeof old);
	CHECK_EQ(syscall(__NR_sigaction, SIGUSR1, &a, &old), 0);
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_EQ(old.sa_mask, 0);
	CHECK_EQ(old.sa_flags, 0);
	memset(&old, 0x55, sizeof old);
	CHECK_EQ(syscall(__NR_sigaction, SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == handler);
	CHECK_EQ(old.sa_mask, sigmask(SIGUSR2));
	CHECK_EQ(old.sa_flags, SA_RESTART | SA_RESTORER);
	CHECK(old.sa_restorer == __restore);
	/* The same action, as rt_sigaction sees it. */
	CHECK_EQ(syscall(__NR_rt_sigaction, SIGUSR1, NULL, &k, 8), 0);
	CHECK(k.sa_handler == handler);
	CHECK_EQ(k.sa_mask, sigmask(SIGUSR2));
	CHECK_EQ(k.sa_flags, SA_RESTART | SA_RESTORER);

	/* It works: the handler runs with its mask and its own signal blocked. */
	caught = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(caught, 1);
	CHECK_EQ(caught_sig, SIGUSR1);
	CHECK_EQ(mask_in_handler, sigmask(SIGUSR1) | sigmask(SIGUSR2));
	CHECK_EQ(blocked(), 0);

	/* An rt mask beyond 32 signals reads back cut to the first 32. */
	k.sa_mask = sigmask(SIGINT) | sigmask(HIGH);
	CHECK_EQ(syscall(__NR_rt_sigaction, SIGUSR1, &k, NULL, 8), 0);
	CHECK_EQ(syscall(__NR_sigaction, SIGUSR1, NULL, &old), 0);
	CHECK_EQ(old.sa_mask, sigmask(SIGINT));

	CHECK_ERR(syscall(__NR_sigaction, SIGKILL, &a, NULL), EINVAL);
	CHECK_ERR(syscall(__NR_sigaction, SIGSTOP, &a, NULL), EINVAL);
	CHECK_EQ(syscall(__NR_sigaction, SIGKILL, NULL, &old), 0);     /* reading is fine */
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_ERR(syscall(__NR_sigaction, 0, NULL, &old), EINVAL);
	CHECK_ERR(syscall(__NR_sigaction, 65, &a, NULL), EINVAL);
	CHECK_ERR(syscall(__NR_sigaction, SIGUSR1, (void *)1, NULL), EFAULT);
	CHECK_ERR(syscall(__NR_sigaction, SIGUSR1, NULL, (void *)1), EFAULT);
	a.sa_handler = SIG_DFL;
	CHECK_EQ(syscall(__NR_sigaction, SIGUSR1, &a, NULL), 0);
}

static void test_signal(void)
{
	struct kernel_sigaction k;
	CHECK_EQ(syscall(__NR_signal, SIGUSR2, handler), (long)SIG_DFL);
	CHECK_EQ(syscall(__NR_signal, SIGUSR2, SIG_IGN), (long)handler);
	CHECK_EQ(syscall(__NR_signal, SIGUSR2, handler), (long)SIG_IGN);
	/* Linux's signal(): reset when caught, not blocked in its handler, no mask. */
	CHECK_EQ(syscall(__NR_rt_sigaction, SIGUSR2, NULL, &k, 8), 0);
	CHECK(k.sa_handler == handler);
	CHECK_EQ(k.sa_flags, SA_RESETHAND | SA_NODEFER);
	CHECK_EQ(k.sa_mask, 0);
	CHECK_EQ(syscall(__NR_signal, SIGUSR2, SIG_DFL), (long)handler);
	CHECK_ERR(syscall(__NR_signal, SIGKILL, handler), EINVAL);
	CHECK_ERR(syscall(__NR_signal, 0, handler), EINVAL);
	CHECK_ERR(syscall(__NR_signal, 65, SIG_IGN), EINVAL);
}

static void test_masks(void)
{
	uint32_t set, old;
	set_blocked(sigmask(HIGH));
	set = (uint32_t)(sigmask(SIGUSR1) | sigmask(SIGKILL));
	old = 0x55;
	CHECK_EQ(syscall(__NR_sigprocmask, SIG_SETMASK, &set, &old), 0);
	CHECK_EQ(old, 0);                               /* HIGH is not among the 32 */
	CHECK_EQ(blocked(), sigmask(SIGUSR1) | sigmask(HIGH));    /* kept; SIGKILL never */
	set = (uint32_t)sigmask(SIGUSR2);
	CHECK_EQ(syscall(__NR_sigprocmask, SIG_BLOCK, &set, &old), 0);
	CHECK_EQ(old, sigmask(SIGUSR1));
	CHECK_EQ(blocked(), sigmask(SIGUSR1) | sigmask(SIGUSR2) | sigmask(HIGH));
	set = (uint32_t)sigmask(SIGUSR1);
	CHECK_EQ(syscall(__NR_sigprocmask, SIG_UNBLOCK, &set, NULL), 0);
	CHECK_EQ(blocked(), sigmask(SIGUSR2) | sigmask(HIGH));
	CHECK_EQ(syscall(__NR_sigprocmask, SIG_SETMASK, NULL, &old), 0);
	CHECK_EQ(old, sigmask(SIGUSR2));
	CHECK_EQ(syscall(__NR_sigprocmask, 99, NULL, &old), 0);   /* no set: how is not looked at */
	CHECK_ERR(syscall(__NR_sigprocmask, 99, &set, &old), EINVAL);
	CHECK_ERR(syscall(__NR_sigprocmask, SIG_BLOCK, (void *)1, NULL), EFAULT);
	CHECK_ERR(syscall(__NR_sigprocmask, SIG_BLOCK, NULL, (void *)1), EFAULT);
	CHECK_EQ(blocked(), sigmask(SIGUSR2) | sigmask(HIGH));

	/* sigpending: the blocked ones that came, of the first 32. */
	CHECK_EQ(syscall(__NR_sigpending, &set), 0);
	CHECK_EQ(set, 0);
	CHECK_OK(signal(SIGUSR2, handler));
	CHECK_OK(signal(HIGH, handler));
	caught = 0;
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(raise(HIGH));
	CHECK_EQ(caught, 0);
	set = 0x55;
	CHECK_EQ(syscall(__NR_sigpending, &set), 0);
	CHECK_EQ(set, sigmask(SIGUSR2));
	CHECK_ERR(syscall(__NR_sigpending, (void *)1), EFAULT);
	set_blocked(0);                                 /* both run now */
	CHECK_EQ(caught, 2);
}

/* sigsuspend(unused, unused, mask): the pending signal its mask lets
 * through ends it at once, with EINTR, after its handler ran with that
 * mask, which is the whole mask: signals 33..64 are not blocked (as
 * Linux's siginitset leaves them); then the old mask is back. */
static void test_sigsuspend(void)
{
	uint32_t set;
	CHECK_OK(signal(SIGUSR1, handler));
	set_blocked(sigmask(SIGUSR1) | sigmask(HIGH));
	CHECK_OK(raise(SIGUSR1));
	caught = 0;
	CHECK_ERR(syscall(__NR_sigsuspend, 0x55, 0x55, (uint32_t)sigmask(SIGINT)), EINTR);
	CHECK_EQ(caught, 1);
	CHECK_EQ(caught_sig, SIGUSR1);
	CHECK_EQ(mask_in_handler, sigmask(SIGINT) | sigmask(SIGUSR1));
	CHECK_EQ(blocked(), sigmask(SIGUSR1) | sigmask(HIGH));
	CHECK_EQ(syscall(__NR_sigpending, &set), 0);
	CHECK_EQ(set, 0);
	set_blocked(0);
	CHECK_OK(signal(SIGUSR1, SIG_DFL));
	CHECK_OK(signal(SIGUSR2, SIG_DFL));
	CHECK_OK(signal(HIGH, SIG_DFL));
}

int main(void)
{
	test_sigaction();
	test_signal();
	test_masks();
	test_sigsuspend();
	printf("sig_old: ok\n");
	return 0;
}
