/*
 * What the kernel counts for /proc/stat, /proc/loadavg and the times of
 * /proc/PID/stat (kernel/stats.c).  All counts are in timer ticks
 * (TIMER_HZ = 100 a second, which is also USER_HZ, the unit /proc uses).
 */
#ifndef KERNEL_STATS_H
#define KERNEL_STATS_H

#include <stdbool.h>
#include <stdint.h>

struct kstats {
	uint64_t user, system, idle;	/* CPU ticks spent in each */
	uint64_t irqs[16];		/* interrupts, by line */
	uint64_t ctxt;			/* context switches */
	uint64_t forks;			/* tasks created since boot */
	/* Linux's load averages, fixed point with 11 bits of fraction
	 * (FIXED_1 = 2048), recomputed every 5 seconds. */
	uint32_t avenrun[3];
	uint64_t tsc_tick1;		/* the time stamp counter at tick 1: cpuinfo's MHz */
};
extern struct kstats kstats;

#define LOAD_FSHIFT	11
#define LOAD_FIXED_1	(1u << LOAD_FSHIFT)

/* From the timer interrupt: charge the tick to the current task (user
 * or system time) or to idle; every 5 s, fold the number of runnable
 * tasks into the load averages. */
void stats_tick(uint64_t now, bool user_mode);
/* Linux's calc_load: one step of the exponential average (exp is
 * FIXED_1 * e^(-5s/period)); active is fixed point too. */
uint32_t stats_calc_load(uint32_t load, uint32_t exp, uint32_t active);
/* Tasks running or runnable now, and those in an uninterruptible sleep. */
int stats_nr_running(void);
int stats_nr_blocked(void);
/* The CPU's clock in MHz, measured against the timer (0 before 1 s has passed). */
uint32_t stats_cpu_mhz(void);

#endif
