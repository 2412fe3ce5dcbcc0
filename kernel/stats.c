/*
 * CPU time and load, counted at each timer tick as Linux's tick-based
 * accounting does: the whole tick goes to whoever was on the CPU when it
 * came (user time if it interrupted user mode, system time otherwise),
 * or to idle when nothing was runnable (schedule() halts with current
 * still pointing at the last task, which is then asleep).
 */
#include <kernel/arch.h>
#include <kernel/stats.h>
#include <kernel/printk.h>
#include <kernel/task.h>
#include <lib/proc_text.h>

struct kstats kstats;

static const uint32_t load_exp[3] = { PT_LOAD_EXP_1, PT_LOAD_EXP_5, PT_LOAD_EXP_15 };
#define LOAD_FREQ	(5 * TIMER_HZ + 1)	/* Linux's 5 s + 1 tick */

uint32_t stats_calc_load(uint32_t load, uint32_t exp, uint32_t active)
{
	return pt_calc_load(load, exp, active);	/* shared with the guest kernel */
}

int stats_nr_running(void)
{
	int n = 0;
	for (struct task *t = task_list(); t; t = t->all_next)
		n += t->state == TASK_RUNNABLE;
	return n;
}

int stats_nr_blocked(void)
{
	int n = 0;
	for (struct task *t = task_list(); t; t = t->all_next)
		n += t->state == TASK_SLEEPING_HARD;
	return n;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint32_t stats_cpu_mhz(void)
{
	uint64_t ticks = timer_ticks();
	if (ticks < 1 + TIMER_HZ)
		return 0;
	return (uint32_t)((rdtsc() - kstats.tsc_tick1) / ((ticks - 1) * (1000000 / TIMER_HZ)));
}

void stats_tick(uint64_t now, bool user_mode)
{
	struct task *t = current;
	if (now == 1)
		kstats.tsc_tick1 = rdtsc();
	if (!t || t->state != TASK_RUNNABLE) {
		kstats.idle++;
	} else if (user_mode) {
		kstats.user++;
		t->utime++;
	} else {
		kstats.system++;
		t->stime++;
	}
	if (now % LOAD_FREQ == 0) {
		uint32_t active = (uint32_t)(stats_nr_running() + stats_nr_blocked()) * LOAD_FIXED_1;
		for (int i = 0; i < 3; i++)
			kstats.avenrun[i] = stats_calc_load(kstats.avenrun[i], load_exp[i], active);
	}
}
