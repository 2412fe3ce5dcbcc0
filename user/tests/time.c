/*
 * Clocks and sleeps: clock_gettime (and the 64-bit clock_gettime64),
 * clock_getres, gettimeofday, time, nanosleep, clock_nanosleep.
 */
#include "check.h"
#include <time.h>
#include <sys/time.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long now(clockid_t c)
{
	struct timespec t;
	CHECK_OK(clock_gettime(c, &t));
	return ns(&t);
}

static void test_gettime(void)
{
	struct timespec a, b;
	struct kernel_timespec64 t64;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	for (int i = 0; i < 1000; i++) {
		CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &b));
		CHECK(ns(&b) >= ns(&a));            /* never goes back */
		a = b;
	}
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &a));
	CHECK(a.tv_sec > 1577836800);               /* after 2020: the RTC was read */
	CHECK_OK(clock_gettime(CLOCK_BOOTTIME, &a));
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC_COARSE, &a));

	memset(&t64, 0xff, sizeof(t64));
	CHECK_OK(syscall(__NR_clock_gettime64, CLOCK_REALTIME, &t64));
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &a));
	CHECK(t64.tv_sec <= a.tv_sec && t64.tv_sec >= a.tv_sec - 5);     /* slack for a busy host */
	CHECK(t64.tv_nsec >= 0 && t64.tv_nsec < 1000000000);

	CHECK_ERR(clock_gettime(100, &a), EINVAL);
	CHECK_ERR(clock_gettime(-1, &a), EINVAL);
	CHECK_ERR(clock_gettime(CLOCK_MONOTONIC, (void *)8), EFAULT);

	CHECK_OK(clock_getres(CLOCK_MONOTONIC, &a));
	CHECK_EQ(a.tv_sec, 0);
	CHECK(a.tv_nsec > 0 && a.tv_nsec <= 10000000);  /* 10 ms at worst */
	CHECK_ERR(clock_getres(100, &a), EINVAL);
}

static void test_wallclock(void)
{
	struct timeval tv;
	struct timespec ts;
	time_t t1, t2;

	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts));
	CHECK(ts.tv_sec - tv.tv_sec <= 5 && ts.tv_sec >= tv.tv_sec);     /* slack for a busy host */
	t1 = time(&t2);
	CHECK_EQ(t1, t2);
	CHECK(t1 - ts.tv_sec <= 5 && t1 >= ts.tv_sec);
	CHECK(time(NULL) >= t1);                    /* NULL is allowed */
}

static void test_sleep(void)
{
	struct timespec req = { 0, 20 * 1000 * 1000 }, rem = { 9, 9 };

	long long t0 = now(CLOCK_MONOTONIC);
	CHECK_OK(nanosleep(&req, &rem));
	long long slept = now(CLOCK_MONOTONIC) - t0;
	CHECK(slept >= 20 * 1000 * 1000);           /* at least what was asked */
	CHECK(slept < 10000LL * 1000 * 1000);       /* and not wildly more (a busy host may stall us) */

	req.tv_sec = 0;
	req.tv_nsec = 1000000000;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	req.tv_nsec = -1;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	CHECK_ERR(nanosleep(NULL, NULL), EFAULT);
	req.tv_sec = 0;
	CHECK_OK(nanosleep(&req, NULL));            /* zero: returns at once */

	/* clock_nanosleep returns the error number itself. */
	req.tv_nsec = 10 * 1000 * 1000;
	t0 = now(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
	CHECK(now(CLOCK_MONOTONIC) - t0 >= 10 * 1000 * 1000);

	/* Absolute: until a point in time; one in the past returns at once. */
	struct timespec until;
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &until));
	until.tv_nsec += 15 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);
	CHECK(now(CLOCK_MONOTONIC) >= ns(&until));
	until.tv_sec = 0;                           /* monotonic time 0: long past */
	until.tv_nsec = 1;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);

	CHECK_EQ(clock_nanosleep(100, 0, &req, NULL), EINVAL);
	req.tv_nsec = 1000000000;
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);
}

int main(void)
{
	test_gettime();
	test_wallclock();
	test_sleep();
	return 0;
}
