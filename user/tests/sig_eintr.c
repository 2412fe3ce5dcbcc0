/*
 * System calls interrupted by a caught signal.  As on Linux:
 *   read of a pipe, wait4:   EINTR, or restarted with SA_RESTART
 *   nanosleep:               EINTR with the time left, even with SA_RESTART
 *   pause, sigsuspend, poll: EINTR, even with SA_RESTART
 * A signal that is ignored or blocked interrupts nothing.  The signals
 * come from a "kicker" child that repeats them (see sigcheck.h).
 *
 * No outcome depends on how fast anything runs: what ends a wait (the
 * byte a child writes, a child's exit) comes only after the handler has
 * run (it writes to the notify pipe) or, where no handler may run, after
 * the kicker has sent its signals; sleeps are long enough that a kick
 * surely comes first, and timeouts are infinite where the kicker ends
 * the wait.
 */
#include "sigcheck.h"
#include <fcntl.h>
#include <poll.h>

static volatile int handled;
static volatile sigset_t handler_mask;
static int notify[2];                   /* the handler writes a byte here */

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	handler_mask = get_mask();
	char c = 'h';
	write(notify[1], &c, 1);
}

/* Wait for the handler's byte on the notify pipe (non-blocking, so
 * through poll); 0 when it came. */
static int wait_notify(void)
{
	struct pollfd pf = { .fd = notify[0], .events = POLLIN };
	char c;
	while (poll(&pf, 1, -1) < 0 && errno == EINTR)
		;
	return read(notify[0], &c, 1) == 1 ? 0 : -1;
}

/* A child that writes one byte to fd once the handler has run in its
 * parent (a byte on the notify pipe), or, with kicks, once the kicker
 * has sent that many signals. */
static pid_t writer(int fd, int kicks)
{
	/* The count starts again here, before the child can look at it: the
	 * last kicker's count (kicker_start resets it only after this fork)
	 * would let the child write before a single kick of this round. */
	*kick_count() = 0;
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		alarm(30);
		if (kicks)
			wait_kicks(kicks);
		else if (wait_notify())
			_exit(2);
		_exit(write(fd, "x", 1) == 1 ? 0 : 1);
	}
	return pid;
}

/* Empty the notify pipe (it is non-blocking). */
static void drain_notify(void)
{
	char buf[64];
	while (read(notify[0], buf, sizeof buf) > 0)
		;
}

static void test_read(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	catch_plain(SIGUSR1, on_usr1, 0);
	handled = 0;
	pid_t k = kicker_start(getpid(), SIGUSR1, 30);
	CHECK_ERR(read(p[0], &c, 1), EINTR);
	kicker_stop(k);
	CHECK(handled >= 1);

	/* SA_RESTART: the read goes on until the data comes. */
	catch_plain(SIGUSR1, on_usr1, SA_RESTART);
	handled = 0;
	drain_notify();
	pid_t w = writer(p[1], 0);
	k = kicker_start(getpid(), SIGUSR1, 20);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
	kicker_stop(k);
	CHECK_EQ(wait_status(w), 0);
	CHECK(handled >= 1);

	/* Ignored (by default or by SIG_IGN) or blocked: no interruption. */
	for (int i = 0; i < 3; i++) {
		int sig = i == 0 ? SIGWINCH : SIGUSR1;
		if (i == 1)
			set_disp(SIGUSR1, SIG_IGN);
		if (i == 2) {
			catch_plain(SIGUSR1, on_usr1, 0);
			set_mask(sigmask(SIGUSR1));
		}
		handled = 0;
		w = writer(p[1], 3);
		k = kicker_start(getpid(), sig, 20);
		CHECK_EQ(read(p[0], &c, 1), 1);
		kicker_stop(k);
		CHECK_EQ(wait_status(w), 0);
		CHECK_EQ(handled, 0);
	}
	set_mask(0);                            /* the pending one is delivered */
	CHECK_EQ(handled, 1);
	close(p[0]);
	close(p[1]);
}

static void test_sleeps(void)
{
	catch_plain(SIGUSR1, on_usr1, SA_RESTART);

	/* nanosleep: EINTR and the time left, SA_RESTART or not. */
	struct timespec req = { 1000, 0 }, rem = { -1, -1 };
	pid_t k = kicker_start(getpid(), SIGUSR1, 30);
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	kicker_stop(k);
	CHECK(rem.tv_sec > 900 && rem.tv_sec < 1000);   /* we slept far less than 100 s */
	CHECK(rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);

	/* pause: EINTR. */
	handled = 0;
	k = kicker_start(getpid(), SIGUSR1, 30);
	CHECK_ERR(pause(), EINTR);
	kicker_stop(k);
	CHECK(handled >= 1);

	/* sigsuspend: the mask is replaced while it waits and inside the
	 * handler (plus the signal itself), then put back. */
	set_mask(sigmask(SIGUSR1) | sigmask(SIGHUP));
	handled = 0;
	k = kicker_start(getpid(), SIGUSR1, 30);
	CHECK_ERR(sigsuspend(&(sigset_t){ sigmask(SIGUSR2) }), EINTR);
	kicker_stop(k);
	CHECK_EQ(handled, 1);
	CHECK_EQ(handler_mask, sigmask(SIGUSR2) | sigmask(SIGUSR1));
	CHECK_EQ(get_mask(), sigmask(SIGUSR1) | sigmask(SIGHUP));
	set_disp(SIGUSR1, SIG_IGN);             /* drop what the kicker left */
	set_mask(0);

	/* poll: EINTR even with SA_RESTART. */
	int p[2];
	CHECK_OK(pipe(p));
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	catch_plain(SIGUSR1, on_usr1, SA_RESTART);
	k = kicker_start(getpid(), SIGUSR1, 30);
	CHECK_ERR(poll(&pfd, 1, -1), EINTR);
	kicker_stop(k);
	close(p[0]);
	close(p[1]);
}

static void test_wait(void)
{
	for (int restart = 0; restart < 2; restart++) {
		catch_plain(SIGUSR1, on_usr1, restart ? SA_RESTART : 0);
		drain_notify();
		pid_t child = fork();
		CHECK_OK(child);
		if (child == 0) {               /* exits once the parent was interrupted */
			alarm(30);
			_exit(wait_notify() == 0 ? 4 : 2);
		}
		handled = 0;
		pid_t k = kicker_start(getpid(), SIGUSR1, 30);
		int st = -1;
		if (restart) {
			CHECK_EQ(waitpid(child, &st, 0), child);    /* restarted */
			CHECK_EQ(st, 4 << 8);
		} else {
			CHECK_ERR(waitpid(child, &st, 0), EINTR);
		}
		kicker_stop(k);
		CHECK(handled >= 1);
		if (!restart)
			CHECK_EQ(wait_status(child), 4 << 8);
	}
	set_disp(SIGUSR1, SIG_DFL);
}

int main(void)
{
	CHECK_OK(pipe(notify));
	CHECK_OK(fcntl(notify[0], F_SETFL, O_NONBLOCK));
	CHECK_OK(fcntl(notify[1], F_SETFL, O_NONBLOCK));        /* a full pipe never blocks the handler */
	set_mask(0);
	watchdog(30);
	test_read();
	test_sleeps();
	test_wait();
	return 0;
}
