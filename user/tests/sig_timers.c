/*
 * alarm and the interval timers: SIGALRM not before its time, alarm's
 * remaining seconds, ITIMER_REAL repeating, ITIMER_VIRTUAL counting only
 * the time we spend running in user mode, getitimer counting down, the
 * EINVAL cases, and no timers in a fork child.
 *
 * alarm() shares ITIMER_REAL, so the watchdog here is a child that sends
 * SIGKILL after 30 s.  Times are checked against lower bounds only, with
 * one 10 ms clock tick of slack.
 */
#include "sigcheck.h"
#include <sys/time.h>

#define SLACK_MS 10

static volatile int alrm, vtalrm;
static void on_alrm(int sig)   { (void)sig; alrm++; }
static void on_vtalrm(int sig) { (void)sig; vtalrm++; }

static long long usecs(const struct timeval *tv)
{
	return tv->tv_sec * 1000000LL + tv->tv_usec;
}

static void test_alarm(void)
{
	catch_plain(SIGALRM, on_alrm, 0);
	CHECK_EQ(alarm(0), 0);                  /* none pending */
	long long t0 = now_ms();
	CHECK_EQ(alarm(5), 0);
	unsigned left = alarm(7);               /* 4.99... s left: rounded up */
	struct itimerval it;
	CHECK_OK(getitimer(ITIMER_REAL, &it));  /* alarm is ITIMER_REAL */
	long long dt = now_ms() - t0;           /* how long that took (a busy host: long) */
	CHECK(left == 5 || (dt >= 500 && left == 4));
	CHECK(usecs(&it.it_value) > 7000000 - (dt + SLACK_MS) * 1000 && usecs(&it.it_value) <= 7000000);
	CHECK_EQ(usecs(&it.it_interval), 0);
	CHECK_EQ(alarm(0), 7);                  /* cancelled */
	CHECK_OK(getitimer(ITIMER_REAL, &it));
	CHECK_EQ(usecs(&it.it_value), 0);

	alrm = 0;
	t0 = now_ms();
	CHECK_EQ(alarm(1), 0);
	wait_for_signals(&alrm, 1, SIGALRM);
	dt = now_ms() - t0;
	CHECK(dt >= 1000 - SLACK_MS);          /* not early */
	CHECK_EQ(alrm, 1);
	CHECK_EQ(alarm(0), 0);                  /* one-shot: nothing left */
}

static void test_real_interval(void)
{
	struct itimerval it = { { 0, 30000 }, { 0, 30000 } }, old;

	alrm = 0;
	long long t0 = now_ms();
	CHECK_OK(setitimer(ITIMER_REAL, &it, &old));
	CHECK_EQ(usecs(&old.it_value), 0);
	wait_for_signals(&alrm, 4, SIGALRM);
	CHECK(now_ms() - t0 >= 4 * 30 - SLACK_MS);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	CHECK_OK(setitimer(ITIMER_REAL, &off, &old));
	CHECK_EQ(old.it_interval.tv_sec, 0);
	CHECK_EQ(old.it_interval.tv_usec, 30000);
	CHECK(usecs(&old.it_value) > 0 && usecs(&old.it_value) <= 30000);
	int n = alrm;
	sleep_ms(100);
	CHECK_EQ(alrm, n);                      /* stopped */

	/* getitimer counts down. */
	struct itimerval a, b;
	it = (struct itimerval){ { 0, 0 }, { 10, 0 } };
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	CHECK_OK(getitimer(ITIMER_REAL, &a));
	sleep_ms(50);
	CHECK_OK(getitimer(ITIMER_REAL, &b));
	CHECK(usecs(&a.it_value) <= 10000000);
	CHECK(usecs(&b.it_value) <= usecs(&a.it_value) - 40000);
	CHECK_OK(setitimer(ITIMER_REAL, &off, NULL));
}

static void burn_until(volatile int *flag)
{
	volatile unsigned long spin = 0;
	while (!*flag)
		spin++;
}

static void test_virtual(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 200000 } }, a, b;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	catch_plain(SIGVTALRM, on_vtalrm, 0);
	vtalrm = 0;
	/* Sleeping uses no user time: the timer hardly moves. */
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
	sleep_ms(300);
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &a));
	CHECK_EQ(vtalrm, 0);
	CHECK(usecs(&a.it_value) > 150000);

	/* Running does: it counts down and fires. */
	long long t0 = now_ms();
	volatile unsigned long spin;
	for (spin = 0; spin < 20000000 && !vtalrm; spin++)
		;
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &b));
	if (!vtalrm)
		CHECK(usecs(&b.it_value) < usecs(&a.it_value));
	burn_until(&vtalrm);
	CHECK_EQ(vtalrm, 1);
	CHECK(now_ms() - t0 >= usecs(&a.it_value) / 1000 - SLACK_MS);  /* CPU time <= real time */
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &b));
	CHECK_EQ(usecs(&b.it_value), 0);

	/* With an interval it repeats. */
	it = (struct itimerval){ { 0, 20000 }, { 0, 20000 } };
	vtalrm = 0;
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
	while (vtalrm < 3)
		;
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &off, &b));
	CHECK_EQ(usecs(&b.it_interval), 20000);
}

static void test_errors(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 1000000 } }, old;

	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL);      /* usec too big */
	it.it_value.tv_usec = -1;
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
	it = (struct itimerval){ { 0, 1000000 }, { 1, 0 } };
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	CHECK_ERR(setitimer(3, &it, NULL), EINVAL);
	CHECK_ERR(setitimer(-1, &it, NULL), EINVAL);
	CHECK_ERR(getitimer(3, &old), EINVAL);
	CHECK_ERR(getitimer(-1, &old), EINVAL);
	CHECK_ERR(getitimer(ITIMER_REAL, (void *)8), EFAULT);
	CHECK_ERR(setitimer(ITIMER_REAL, (void *)8, NULL), EFAULT);
}

/* A fork child has no timers. */
static void test_fork(void)
{
	struct itimerval it = { { 0, 0 }, { 5, 0 } }, off = { { 0, 0 }, { 0, 0 } };

	CHECK_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
	CHECK_EQ(alarm(5), 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval r, v;
		getitimer(ITIMER_REAL, &r);
		getitimer(ITIMER_VIRTUAL, &v);
		_exit(usecs(&r.it_value) == 0 && usecs(&v.it_value) == 0 && alarm(0) == 0 ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
	unsigned left = alarm(0);               /* still set here: 5 s less how long the fork took */
	CHECK(left >= 1 && left <= 5);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &off, NULL));
}

int main(void)
{
	set_mask(0);
	pid_t guard = kicker_start(getpid(), SIGKILL, 30000);
	test_alarm();
	test_real_interval();
	test_virtual();
	test_errors();
	test_fork();
	kicker_stop(guard);
	return 0;
}
