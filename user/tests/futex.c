/*
 * futex: FUTEX_WAIT returns EAGAIN at once when the word differs and
 * ETIMEDOUT after its timeout; FUTEX_WAKE reports how many it woke; two
 * processes meet on a futex in a MAP_SHARED page.
 */
#include "check.h"
#include <sys/mman.h>
#include <time.h>
#include <uapi/futex.h>

static long futex(volatile int *uaddr, int op, int val, const struct timespec *timeout)
{
	return syscall(__NR_futex, uaddr, op, val, timeout, 0, 0);
}

static void test_local(void)
{
	static volatile int word = 5;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct timespec t0, t1;

	CHECK_ERR(futex(&word, FUTEX_WAIT, 4, NULL), EAGAIN);       /* value differs */
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL), EAGAIN);
	CHECK_EQ(futex(&word, FUTEX_WAKE, 1, NULL), 0);              /* nobody waits */
	CHECK_EQ(futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL), 0);

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t0));
	CHECK_ERR(futex(&word, FUTEX_WAIT, 5, &ts), ETIMEDOUT);      /* nobody wakes us */
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &t1));
	long long waited = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	CHECK(waited >= 20 * 1000 * 1000);

	CHECK_ERR(futex((int *)((char *)&word + 1), FUTEX_WAIT, 5, NULL), EINVAL);  /* unaligned */
	CHECK_ERR(futex((int *)8, FUTEX_WAIT, 5, NULL), EFAULT);
	ts.tv_nsec = 1000000000;
	CHECK_ERR(futex(&word, FUTEX_WAIT, 5, &ts), EINVAL);         /* bad timeout */
	CHECK_ERR(futex(&word, 99, 0, NULL), ENOSYS);                /* unknown operation */
}

/* A child sleeps on a shared word; we wake it. */
static void test_shared(void)
{
	volatile int *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	volatile int *word = &sh[0], *ready = &sh[1];

	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		*ready = 1;
		long r = futex(word, FUTEX_WAIT, 0, NULL);
		_exit(r == 0 ? 0 : 10 + errno);
	}
	while (!*ready)
		usleep(1000);
	/* Wake until the child was really asleep in the kernel (woke == 1). */
	long woke = 0;
	for (int i = 0; i < 2000 && woke == 0; i++) {
		woke = futex(word, FUTEX_WAKE, 1, NULL);
		if (woke == 0)
			usleep(1000);
	}
	CHECK_EQ(woke, 1);
	CHECK_EQ(wait_status(pid), 0);

	/* Private futexes do not reach other processes. */
	*ready = 0;
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		*ready = 1;
		long r = futex(word, FUTEX_WAIT, 0, &ts);
		_exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
	}
	while (!*ready)
		usleep(1000);
	usleep(20000);
	CHECK_EQ(futex(word, FUTEX_WAKE_PRIVATE, 1, NULL), 0);
	CHECK_EQ(wait_status(pid), 0);

	/* Several waiters; one wake call for all. */
	*ready = 0;
	pid_t pids[3];
	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK_OK(pids[i]);
		if (pids[i] == 0) {
			__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
			_exit(futex(word, FUTEX_WAIT, 0, NULL) == 0 ? 0 : 1);
		}
	}
	while (*ready < 3)
		usleep(1000);
	int total = 0;
	for (int i = 0; i < 2000 && total < 3; i++) {
		total += futex(word, FUTEX_WAKE, 3, NULL);
		if (total < 3)
			usleep(1000);
	}
	CHECK_EQ(total, 3);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(wait_status(pids[i]), 0);
	CHECK_OK(munmap((void *)sh, PAGE));
}

int main(void)
{
	test_local();
	test_shared();
	return 0;
}
