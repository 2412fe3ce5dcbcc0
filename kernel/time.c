/*
 * Time: the clocks and sleeping.
 *
 * CLOCK_MONOTONIC (and BOOTTIME) is the timer's count since boot, with the
 * PIT's counter for resolution finer than a tick; CLOCK_REALTIME is the CMOS
 * clock read at boot plus that count.  Sleeps are rounded up to whole timer
 * ticks (10 ms) and never end early.
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <uapi/time.h>

#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_TICK	(NSEC_PER_SEC / TIMER_HZ)

#define TIMER_ABSTIME	1	/* clock_nanosleep flag */

static uint64_t boot_unix_ns;	/* CLOCK_REALTIME at pit_init */

void time_init(void)
{
	boot_unix_ns = (uint64_t)rtc_read_unix_time() * NSEC_PER_SEC;
}

/* Nanoseconds on a clock, or -EINVAL for a clock we do not have. */
static int clock_now(int clock, uint64_t *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = boot_unix_ns + timer_nanoseconds();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = timer_nanoseconds();
		return 0;
	default:
		return -EINVAL;
	}
}

static long sys_clock_gettime(int clock, struct timespec __user *uts)
{
	uint64_t ns;
	int err = clock_now(clock, &ns);
	if (err)
		return err;
	struct timespec ts = { (int32_t)(ns / NSEC_PER_SEC), (int32_t)(ns % NSEC_PER_SEC) };
	return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}
SYSCALL(clock_gettime, sys_clock_gettime);

static long sys_clock_gettime64(int clock, struct kernel_timespec64 __user *uts)
{
	uint64_t ns;
	int err = clock_now(clock, &ns);
	if (err)
		return err;
	struct kernel_timespec64 ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
	return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}
SYSCALL(clock_gettime64, sys_clock_gettime64);

static long clock_res(int clock, void __user *uts, bool wide)
{
	uint64_t ns;
	int err = clock_now(clock, &ns);
	if (err || !uts)
		return err;
	struct kernel_timespec64 ts64 = { 0, 1 };	/* the PIT counter resolves ~838 ns; say 1 as Linux hrtimers do */
	struct timespec ts = { 0, 1 };
	return (wide ? copy_to_user(uts, &ts64, sizeof ts64) : copy_to_user(uts, &ts, sizeof ts)) ? -EFAULT : 0;
}

static long sys_clock_getres(int clock, struct timespec __user *uts) { return clock_res(clock, uts, false); }
SYSCALL(clock_getres, sys_clock_getres);
static long sys_clock_getres_time64(int clock, void __user *uts) { return clock_res(clock, uts, true); }
SYSCALL(clock_getres_time64, sys_clock_getres_time64);

static long sys_gettimeofday(struct timeval __user *utv, void __user *tz)
{
	uint64_t ns = boot_unix_ns + timer_nanoseconds();
	struct timeval tv = { (int32_t)(ns / NSEC_PER_SEC), (int32_t)(ns % NSEC_PER_SEC / 1000) };
	if (utv && copy_to_user(utv, &tv, sizeof tv))
		return -EFAULT;
	if (tz && clear_user(tz, 8))	/* struct timezone: UTC, no DST */
		return -EFAULT;
	return 0;
}
SYSCALL(gettimeofday, sys_gettimeofday);

static long sys_time(int32_t __user *ut)
{
	int32_t t = (int32_t)((boot_unix_ns + timer_nanoseconds()) / NSEC_PER_SEC);
	if (ut && copy_to_user(ut, &t, sizeof t))
		return -EFAULT;
	return t;
}
SYSCALL(time, sys_time);

/*
 * Sleep until `deadline` on `clock`.  Returns 0, or -EINTR with *left set
 * to the time that remained when a signal with a handler interrupted the
 * sleep (-ERESTARTNOHAND: the caller restarts if no handler runs).
 */
static long sleep_until(int clock, uint64_t deadline, uint64_t *left)
{
	uint64_t now;
	clock_now(clock, &now);
	if (deadline <= now)
		return 0;
	/* Whole ticks, plus one: the current tick is partly gone already. */
	long err = sleep_ticks((deadline - now + NSEC_PER_TICK - 1) / NSEC_PER_TICK + 1);
	if (!err)
		return 0;
	clock_now(clock, &now);
	*left = deadline > now ? deadline - now : 0;
	return -ERESTARTNOHAND;
}

/* The shared body of the sleeps: rem (if any) gets the time left when a
 * handler interrupted a relative sleep; wide: rem is a kernel_timespec64. */
static long do_nanosleep(int clock, int flags, int64_t sec, int64_t nsec, void __user *urem, bool wide)
{
	if (nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC || sec < 0)
		return -EINVAL;
	uint64_t now, left = 0, want = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
	int err = clock_now(clock, &now);
	if (err)
		return err;
	bool absolute = flags & TIMER_ABSTIME;
	long r = sleep_until(clock, absolute ? want : now + want, &left);
	if (r && urem && !absolute) {
		struct timespec ts = { (int32_t)(left / NSEC_PER_SEC), (int32_t)(left % NSEC_PER_SEC) };
		struct kernel_timespec64 ts64 = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
		if (wide ? copy_to_user(urem, &ts64, sizeof ts64) : copy_to_user(urem, &ts, sizeof ts))
			return -EFAULT;
	}
	return r;
}

static long sys_nanosleep(const struct timespec __user *ureq, struct timespec __user *urem)
{
	struct timespec req;
	if (copy_from_user(&req, ureq, sizeof req))
		return -EFAULT;
	return do_nanosleep(CLOCK_MONOTONIC, 0, req.tv_sec, req.tv_nsec, urem, false);
}
SYSCALL(nanosleep, sys_nanosleep);

static long sys_clock_nanosleep(int clock, int flags, const struct timespec __user *ureq,
				struct timespec __user *urem)
{
	struct timespec req;
	if (copy_from_user(&req, ureq, sizeof req))
		return -EFAULT;
	return do_nanosleep(clock, flags, req.tv_sec, req.tv_nsec, urem, false);
}
SYSCALL(clock_nanosleep, sys_clock_nanosleep);

static long sys_clock_nanosleep_time64(int clock, int flags, const struct kernel_timespec64 __user *ureq,
				       struct kernel_timespec64 __user *urem)
{
	struct kernel_timespec64 req;
	if (copy_from_user(&req, ureq, sizeof req))
		return -EFAULT;
	return do_nanosleep(clock, flags, req.tv_sec, (int32_t)req.tv_nsec, urem, true);
}
SYSCALL(clock_nanosleep_time64, sys_clock_nanosleep_time64);
