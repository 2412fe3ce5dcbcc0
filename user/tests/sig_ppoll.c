/*
 * ppoll and pselect6 with a signal mask: the mask replaces the blocked set
 * for the wait only, atomically.  A signal the mask lets through ends the
 * wait with EINTR after its handler ran (with the wait's mask); then the
 * old mask is back.  Without a signal the wait times out, the time left is
 * written back (0), and the old mask is back too.
 */
#include "sigcheck.h"
#include <poll.h>
#include <uapi/time.h>
#include <uapi/unistd.h>

static long raw5(long nr, long a, long b, long c, long d, long e)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
	                 : "memory");
	return r;
}

static volatile int hits;
static volatile sigset_t mask_in_handler;
static void on_usr1(int sig)
{
	(void)sig;
	hits++;
	mask_in_handler = get_mask();
}

int main(void)
{
	int p[2];
	watchdog(20);
	CHECK_OK(pipe(p));
	catch_plain(SIGUSR1, on_usr1, 0);
	sigset_t blocked = sigmask(SIGUSR1) | sigmask(SIGUSR2);
	set_mask(blocked);
	uint64_t wait_mask = sigmask(SIGUSR2);	/* SIGUSR1 gets through while waiting */
	struct pollfd f = { p[0], POLLIN, 0 };

	/* A pending signal the wait's mask unblocks: EINTR at once. */
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 0);
	struct timespec ts = { 5, 0 };
	CHECK_EQ(raw5(__NR_ppoll, (long)&f, 1, (long)&ts, (long)&wait_mask, 8), -EINTR);
	CHECK_EQ(hits, 1);
	CHECK_EQ(mask_in_handler, wait_mask | sigmask(SIGUSR1));	/* the wait's, plus the signal */
	CHECK_EQ(get_mask(), blocked);				/* and ours again after */

	/* No signal: a timeout, the time left written back as 0, our mask back. */
	ts.tv_sec = 0;
	ts.tv_nsec = 30 * 1000 * 1000;
	CHECK_EQ(raw5(__NR_ppoll, (long)&f, 1, (long)&ts, (long)&wait_mask, 8), 0);
	CHECK_EQ(ts.tv_sec, 0);
	CHECK_EQ(ts.tv_nsec, 0);
	CHECK_EQ(get_mask(), blocked);
	CHECK_EQ(raw5(__NR_ppoll, (long)&f, 1, (long)&ts, (long)&wait_mask, 4), -EINVAL);

	/* pselect6: the mask comes as { pointer, size }. */
	struct { uint32_t set, size; } arg = { (uint32_t)&wait_mask, 8 };
	uint32_t in = 1u << p[0];
	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(raw_syscall6(__NR_pselect6, p[0] + 1, (long)&in, 0, 0, (long)&ts, (long)&arg), -EINTR);
	CHECK_EQ(hits, 2);
	CHECK_EQ(get_mask(), blocked);

	/* Data ready: no wait at all, mask untouched. */
	CHECK_EQ(write(p[1], "x", 1), 1);
	in = 1u << p[0];
	CHECK_EQ(raw_syscall6(__NR_pselect6, p[0] + 1, (long)&in, 0, 0, (long)&ts, (long)&arg), 1);
	CHECK_EQ(in, 1u << p[0]);
	CHECK_EQ(get_mask(), blocked);
	set_mask(0);
	return 0;
}
