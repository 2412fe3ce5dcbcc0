/*
 * The 64-bit-time forms of the waits: ppoll_time64, pselect6_time64 and
 * rt_sigtimedwait_time64 take a struct kernel_timespec64 (16 bytes, of
 * whose tv_nsec only the low word counts on i386), and the first two
 * write the time left back in that form.  Nothing here waits: every
 * timeout is zero or something is ready already.
 */
#include "check.h"
#include <poll.h>
#include <uapi/time.h>

static void test_ppoll(int p[2])
{
	struct pollfd fds = { p[0], POLLIN, 0 };
	struct kernel_timespec64 ts = { 0, 0 };
	uint64_t mask = sigmask(SIGUSR1);
	CHECK_EQ(syscall(__NR_ppoll_time64, &fds, 1, &ts, NULL, 8), 0);      /* nothing yet */
	CHECK_EQ(fds.revents, 0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	ts = (struct kernel_timespec64){ 5, 0 };
	CHECK_EQ(syscall(__NR_ppoll_time64, &fds, 1, &ts, &mask, 8), 1);
	CHECK_EQ(fds.revents, POLLIN);
	CHECK(ts.tv_sec >= 0 && ts.tv_sec <= 5);        /* the time left, all 64 bits written */
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	CHECK(ts.tv_sec * 1000000000 + ts.tv_nsec <= 5000000000ll);
	ts = (struct kernel_timespec64){ 0, 1ll << 32 };        /* tv_nsec's low word: 0 */
	CHECK_EQ(syscall(__NR_ppoll_time64, &fds, 1, &ts, NULL, 8), 1);
	CHECK_EQ(syscall(__NR_ppoll_time64, &fds, 1, NULL, NULL, 8), 1);
	ts = (struct kernel_timespec64){ 0, 1000000000 };
	CHECK_ERR(syscall(__NR_ppoll_time64, &fds, 1, &ts, NULL, 8), EINVAL);
	ts = (struct kernel_timespec64){ -1, 0 };
	CHECK_ERR(syscall(__NR_ppoll_time64, &fds, 1, &ts, NULL, 8), EINVAL);
	CHECK_ERR(syscall(__NR_ppoll_time64, &fds, 1, (void *)1, NULL, 8), EFAULT);
	ts = (struct kernel_timespec64){ 0, 0 };
	CHECK_ERR(syscall(__NR_ppoll_time64, &fds, 1, &ts, &mask, 4), EINVAL);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
}

static void test_pselect(int p[2])
{
	uint32_t in = 1u << p[0];
	struct kernel_timespec64 ts = { 0, 0 };
	uint64_t mask = 0;
	struct { uint64_t *set; uint32_t size; } sig = { &mask, 8 };
	CHECK_EQ(syscall(__NR_pselect6_time64, p[0] + 1, &in, NULL, NULL, &ts, &sig), 0);
	CHECK_EQ(in, 0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	in = 1u << p[0];
	ts = (struct kernel_timespec64){ 7, 0 };
	CHECK_EQ(syscall(__NR_pselect6_time64, p[0] + 1, &in, NULL, NULL, &ts, NULL), 1);
	CHECK_EQ(in, 1u << p[0]);
	CHECK(ts.tv_sec >= 0 && ts.tv_sec <= 7);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	ts = (struct kernel_timespec64){ 0, -1 };
	CHECK_ERR(syscall(__NR_pselect6_time64, p[0] + 1, &in, NULL, NULL, &ts, NULL), EINVAL);
	CHECK_ERR(syscall(__NR_pselect6_time64, p[0] + 1, &in, NULL, NULL, (void *)1, NULL), EFAULT);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
}

static void test_sigtimedwait(void)
{
	uint64_t set = sigmask(SIGUSR1), old;
	struct kernel_timespec64 ts = { 0, 0 };
	siginfo_t info;
	CHECK_EQ(syscall(__NR_rt_sigprocmask, SIG_BLOCK, &set, &old, 8), 0);
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, &set, &info, &ts, 8), EAGAIN);
	CHECK_OK(raise(SIGUSR1));
	/* The timeout is checked before a pending signal is taken. */
	ts = (struct kernel_timespec64){ 0, 1000000000 };
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, &set, &info, &ts, 8), EINVAL);
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, &set, &info, (void *)1, 8), EFAULT);
	struct timespec t32 = { 0, -1 };
	CHECK_ERR(syscall(__NR_rt_sigtimedwait, &set, &info, &t32, 8), EINVAL);
	ts = (struct kernel_timespec64){ 1, 0xffffffff00000000ll };      /* low word 0 */
	memset(&info, 0, sizeof info);
	CHECK_EQ(syscall(__NR_rt_sigtimedwait_time64, &set, &info, &ts, 8), SIGUSR1);
	CHECK_EQ(info.si_signo, SIGUSR1);
	CHECK_EQ(info.si_code, SI_TKILL);
	ts = (struct kernel_timespec64){ 0, 0 };
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, &set, &info, &ts, 8), EAGAIN);
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, &set, &info, &ts, 4), EINVAL);
	CHECK_ERR(syscall(__NR_rt_sigtimedwait_time64, (void *)1, &info, &ts, 8), EFAULT);
	CHECK_EQ(syscall(__NR_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8), 0);
}

int main(void)
{
	int p[2];
	CHECK_OK(pipe(p));
	test_ppoll(p);
	test_pselect(p);
	test_sigtimedwait();
	printf("time64_waits: ok\n");
	return 0;
}
