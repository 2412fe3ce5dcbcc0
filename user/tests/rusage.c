/*
 * times, getrusage and wait4's rusage, as Linux reports them: CPU time
 * that advances while the process runs (times in ticks of 100 a second,
 * rusage in microseconds, the two agreeing), minor faults (one at least
 * per page touched), the peak resident set in KiB, a reaped child's usage
 * in wait4's answer and in RUSAGE_CHILDREN and tms_cutime; the errors.
 * No timing: the spins run until the CPU time has moved, however long.
 */
#include "check.h"
#include <sys/mman.h>
#include <uapi/resource.h>
#include <uapi/time.h>

static long sc(long nr, long a, long b)
{
	long r = raw_syscall6(nr, a, b, 0, 0, 0, 0);
	return r < 0 && r > -4096 ? (errno = (int)-r, -1) : r;
}

static struct rusage usage(int who)
{
	struct rusage ru;
	memset(&ru, 0xaa, sizeof ru);
	CHECK_OK(sc(__NR_getrusage, who, (long)&ru));
	return ru;
}

static long ticks_of(const struct rusage *ru)     /* user time, in 1/100 s */
{
	return ru->ru_utime.tv_sec * 100L + ru->ru_utime.tv_usec / 10000;
}

/* Run until times() says our user time reached `ticks`. */
static void spin_until(long ticks)
{
	struct tms t;
	do {
		for (volatile int i = 0; i < 10000; i++)
			;
		sc(__NR_times, (long)&t, 0);
	} while (t.tms_utime < ticks);
}

/* Touch n fresh pages; the mapping stays. */
static void touch(int pages)
{
	char *m = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	for (int i = 0; i < pages; i++)
		m[i * 4096] = 1;
}

int main(void)
{
	struct tms t0, t1;
	memset(&t0, 0xaa, sizeof t0);
	long start = sc(__NR_times, (long)&t0, 0);
	CHECK(t0.tms_utime >= 0 && t0.tms_stime >= 0 && t0.tms_cutime == 0 && t0.tms_cstime == 0);
	spin_until(t0.tms_utime + 3);
	long end = sc(__NR_times, (long)&t1, 0);
	CHECK(t1.tms_utime >= t0.tms_utime + 3);
	CHECK(end - start >= 3);                        /* the clock ran at least as long */
	CHECK(sc(__NR_times, 0, 0) - end >= 0);         /* no buffer: just the clock */

	/* rusage agrees with times, a tick either way. */
	struct rusage self = usage(RUSAGE_SELF);
	struct tms t2;
	sc(__NR_times, (long)&t2, 0);
	CHECK(ticks_of(&self) >= t1.tms_utime - 1 && ticks_of(&self) <= t2.tms_utime + 1);
	CHECK(self.ru_utime.tv_usec >= 0 && self.ru_utime.tv_usec < 1000000);
	/* The one thread's time: the same, within a tick (Linux scales the
	 * thread's and the process's samples apart, so either may lead). */
	struct rusage thread = usage(RUSAGE_THREAD);
	struct tms t2b;
	sc(__NR_times, (long)&t2b, 0);
	CHECK(ticks_of(&thread) >= t1.tms_utime - 1 && ticks_of(&thread) <= t2b.tms_utime + 1);

	/* Faults and the peak resident set. */
	long faults = self.ru_minflt, peak = self.ru_maxrss;
	CHECK(peak > 0);
	touch(1024);                                    /* 4 MiB */
	struct rusage after = usage(RUSAGE_SELF);
	CHECK(after.ru_minflt >= faults + 1024);
	CHECK(after.ru_maxrss >= peak + 3 * 1024);      /* Linux counts pages in batches */

	/* A child's usage: in wait4's answer, then in RUSAGE_CHILDREN. */
	struct rusage none = usage(RUSAGE_CHILDREN);
	CHECK(none.ru_utime.tv_sec == 0 && none.ru_utime.tv_usec == 0 && none.ru_minflt == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct tms c;
		sc(__NR_times, (long)&c, 0);
		if (c.tms_cutime != 0)
			_exit(2);
		touch(512);
		spin_until(c.tms_utime + 2);
		_exit(0);
	}
	struct rusage child;
	int status;
	CHECK_EQ(wait4(pid, &status, 0, &child), pid);
	CHECK_EQ(status, 0);
	CHECK(ticks_of(&child) >= 2);
	CHECK(child.ru_minflt >= 512);
	CHECK(child.ru_maxrss >= 2 * 1024 - 256);
	struct rusage children = usage(RUSAGE_CHILDREN);
	CHECK(ticks_of(&children) >= ticks_of(&child));
	CHECK(children.ru_minflt >= child.ru_minflt);
	CHECK(children.ru_maxrss >= child.ru_maxrss);
	struct tms t3;
	sc(__NR_times, (long)&t3, 0);
	CHECK(t3.tms_cutime >= 2);

	CHECK_ERR(sc(__NR_getrusage, 2, (long)&self), EINVAL);
	CHECK_ERR(sc(__NR_getrusage, -2, (long)&self), EINVAL);
	CHECK_ERR(sc(__NR_getrusage, RUSAGE_SELF, 0xc0000000), EFAULT);
	CHECK_ERR(sc(__NR_times, 0xc0000000, 0), EFAULT);
	return 0;
}
