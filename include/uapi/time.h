/*
 * Time structures and clock ids of the Linux i386 ABI.
 *
 * The classic calls (nanosleep 162, clock_gettime 265, clock_nanosleep 267,
 * gettimeofday 78) use 32-bit seconds; the *_time64 calls (clock_gettime64
 * 403, clock_nanosleep_time64 407, ...) use struct kernel_timespec64.
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#include <stdint.h>

/* Seconds and nanoseconds, 32-bit fields (8 bytes). */
struct timespec {
	int32_t tv_sec;
	int32_t tv_nsec;        /* 0 .. 999999999, else EINVAL */
};

/* Linux's struct __kernel_timespec: 64-bit fields (16 bytes). */
struct kernel_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;        /* only the low 32 bits count for i386 callers */
};

/* Seconds and microseconds (gettimeofday, setitimer). */
struct timeval {
	int32_t tv_sec;
	int32_t tv_usec;
};

/* gettimeofday's second argument; obsolete, always zeros. */
struct timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

/* setitimer / getitimer. */
struct itimerval {
	struct timeval it_interval;  /* reload value, 0 = one shot */
	struct timeval it_value;     /* time left, 0 = disarmed */
};

#define ITIMER_REAL     0   /* wall clock, SIGALRM */
#define ITIMER_VIRTUAL  1   /* user CPU time, SIGVTALRM */
#define ITIMER_PROF     2   /* user + system CPU time, SIGPROF */

/* Clock ids. */
#define CLOCK_REALTIME              0
#define CLOCK_MONOTONIC             1
#define CLOCK_PROCESS_CPUTIME_ID    2
#define CLOCK_THREAD_CPUTIME_ID     3
#define CLOCK_MONOTONIC_RAW         4
#define CLOCK_REALTIME_COARSE       5
#define CLOCK_MONOTONIC_COARSE      6
#define CLOCK_BOOTTIME              7

/* clock_nanosleep flag: the time is absolute, not an interval. */
#define TIMER_ABSTIME   1

/* times(2) result, in clock ticks. */
struct tms {
	int32_t tms_utime;
	int32_t tms_stime;
	int32_t tms_cutime;
	int32_t tms_cstime;
};

#endif
