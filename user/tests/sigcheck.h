/*
 * sigcheck.h: helpers shared by the sig_* tests.
 *
 *   catch_plain(sig, fn, flags)   install fn(int) with flags
 *   catch_info(sig, fn, flags)    install fn(int, siginfo_t *, void *) with SA_SIGINFO | flags
 *   set_disp(sig, SIG_DFL/SIG_IGN)
 *   get_mask() / set_mask(m)      the blocked set
 *   watchdog(s)                   SIGALRM (default action) after s seconds:
 *                                 a delivery that never comes fails the test
 *                                 with "signal 14" instead of hanging it
 *   now_ms()                      CLOCK_MONOTONIC in milliseconds
 *   sleep_ms(ms)                  nanosleep, resumed after interruptions
 *   kicker_start(pid, sig, ms)    a child that sends sig to pid (its parent)
 *                                 every ms milliseconds until kicker_stop()
 *                                 kills it, or the parent is gone
 *
 * A kicker repeats its signal so that a test waiting in a blocking call is
 * sure to be hit while it waits, however the two processes are scheduled.
 * It counts the signals it has sent in *kicks_sent (memory shared by
 * every process of the test), so that whatever is to end the wait can
 * wait for a kick first instead of guessing how long one takes:
 *
 *   wait_kicks(n)                 until the kicker has sent n signals
 *
 * Children that wait must not outlive a test that failed: runtests reads
 * the test's output until every holder of the pipe has gone.  So they
 * stop when their parent changes, and carry an alarm as a last resort.
 */
#ifndef SIGCHECK_H
#define SIGCHECK_H

#include "check.h"
#include <sys/mman.h>
#include <time.h>

static inline void catch_plain(int sig, void (*fn)(int), unsigned flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static inline void catch_info(int sig, void (*fn)(int, siginfo_t *, void *), unsigned flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static inline void set_disp(int sig, void (*disp)(int))
{
	struct sigaction sa = { .sa_handler = disp };
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static inline sigset_t get_mask(void)
{
	sigset_t m;
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &m));
	return m;
}

static inline void set_mask(sigset_t m)
{
	CHECK_OK(sigprocmask(SIG_SETMASK, &m, NULL));
}

static inline void watchdog(unsigned seconds)
{
	set_disp(SIGALRM, SIG_DFL);
	alarm(seconds);
}

static inline long long now_ms(void)
{
	struct timespec t;
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t));
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static inline void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* The kicker's count, in a page shared across fork (made on first use,
 * so call kick_count() before forking anything that reads it). */
static volatile int *kicks_sent;

static inline volatile int *kick_count(void)
{
	if (!kicks_sent) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		kicks_sent = p;
	}
	return kicks_sent;
}

/* Until the handler of sig has counted *count up to n.  sig is blocked
 * between the test and the wait (sigsuspend unblocks it atomically): with
 * `while (*count < n) pause();` a signal arriving between the two would
 * leave pause waiting for ever. */
static inline void wait_for_signals(volatile int *count, int n, int sig)
{
	sigset_t old;
	CHECK_OK(sigprocmask(SIG_BLOCK, &(sigset_t){ sigmask(sig) }, &old));
	while (*count < n)
		sigsuspend(&(sigset_t){ old & ~sigmask(sig) });
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
}

static inline pid_t kicker_start(pid_t target, int sig, int ms)
{
	volatile int *count = kick_count();
	*count = 0;
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		alarm(60);                      /* never outlive a failed test */
		for (;;) {
			sleep_ms(ms);
			if (getppid() != target || kill(target, sig) < 0)
				_exit(1);
			__atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
		}
	}
	return pid;
}

/* Until the kicker has sent n signals (it sends one every few ms; the
 * alarm of the test or of the process waiting ends a kicker that died). */
static inline void wait_kicks(int n)
{
	while (__atomic_load_n(kick_count(), __ATOMIC_SEQ_CST) < n)
		sleep_ms(2);
}

static inline void kicker_stop(pid_t pid)
{
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_EQ(wait_status(pid), SIGKILL);
}

#endif
