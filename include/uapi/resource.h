/*
 * Resource limits: ugetrlimit (191) / setrlimit (75) use struct rlimit with
 * 32-bit fields; prlimit64 (340) uses struct rlimit64.
 */
#ifndef UAPI_RESOURCE_H
#define UAPI_RESOURCE_H

#include <stdint.h>

struct rlimit {
	uint32_t rlim_cur;      /* soft limit */
	uint32_t rlim_max;      /* hard limit */
};

struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

/* "No limit".  ugetrlimit reports it as 0xffffffff; the old getrlimit (76)
 * clamps every value to 0x7fffffff instead. */
#define RLIM_INFINITY       0xffffffffu
#define RLIM64_INFINITY     0xffffffffffffffffull

#define RLIMIT_CPU          0   /* CPU seconds */
#define RLIMIT_FSIZE        1   /* largest file */
#define RLIMIT_DATA         2   /* data segment + brk + private mappings */
#define RLIMIT_STACK        3   /* main stack (Linux default 8 MiB) */
#define RLIMIT_CORE         4
#define RLIMIT_RSS          5
#define RLIMIT_NPROC        6
#define RLIMIT_NOFILE       7   /* one more than the highest fd (default 1024) */
#define RLIMIT_MEMLOCK      8
#define RLIMIT_AS           9   /* address space */
#define RLIMIT_LOCKS        10
#define RLIMIT_SIGPENDING   11
#define RLIMIT_MSGQUEUE     12
#define RLIMIT_NICE         13
#define RLIMIT_RTPRIO       14
#define RLIMIT_RTTIME       15
#define RLIM_NLIMITS        16


/* getrusage's who. */
#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

/* struct rusage on i386: two timevals and fourteen longs, 72 bytes. */
struct rusage {
	struct { int32_t tv_sec, tv_usec; } ru_utime, ru_stime;
	int32_t ru_maxrss;      /* KiB */
	int32_t ru_ixrss, ru_idrss, ru_isrss;
	int32_t ru_minflt, ru_majflt, ru_nswap;
	int32_t ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals;
	int32_t ru_nvcsw, ru_nivcsw;
};

#endif
