/*
 * What a process has used, as times(2), getrusage(2) and wait4's rusage
 * report it (Linux's units: clock ticks of USER_HZ = 100 for times, which
 * is our TIMER_HZ; microseconds for rusage; KiB for maxrss).
 *
 * The CPU time is counted at each timer tick (kernel/stats.c), user or
 * system by where the tick found the task; faults by the page-fault
 * handler (every fault here is "minor": nothing is read from a disk);
 * context switches by the scheduler.  A reaped child's usage, its own
 * children's included, is added to its parent's "children" figures
 * (rusage_reap), as Linux adds a waited-for child's.
 */
#include <kernel/arch.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/rusage.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/time.h>

static void ticks_to_timeval(uint64_t ticks, int32_t *sec, int32_t *usec)
{
	*sec = (int32_t)(ticks / TIMER_HZ);
	*usec = (int32_t)(ticks % TIMER_HZ * (1000000 / TIMER_HZ));
}

/* The peak resident set of t's space now, in KiB (Linux's hiwater_rss). */
static uint32_t peak_rss_kb(struct task *t)
{
	uint32_t pages = 0;
	if (t->mm) {
		pages = mm_resident_pages(t->mm);
		if (pages < t->mm->hiwater_rss)
			pages = t->mm->hiwater_rss;
		t->mm->hiwater_rss = pages;
	}
	uint32_t kb = pages * (PAGE_SIZE / 1024);
	return kb > t->maxrss_kb ? kb : t->maxrss_kb;
}

void rusage_exit(struct task *t)
{
	t->maxrss_kb = peak_rss_kb(t);
}

static void fill_self(struct task *t, struct rusage *ru)
{
	ticks_to_timeval(t->utime, &ru->ru_utime.tv_sec, &ru->ru_utime.tv_usec);
	ticks_to_timeval(t->stime, &ru->ru_stime.tv_sec, &ru->ru_stime.tv_usec);
	ru->ru_maxrss = (int32_t)peak_rss_kb(t);
	ru->ru_minflt = (int32_t)t->min_flt;
	ru->ru_nvcsw = (int32_t)t->nvcsw;
	ru->ru_nivcsw = (int32_t)t->nivcsw;
}

static void fill_children(struct task *t, struct rusage *ru)
{
	ticks_to_timeval(t->cutime, &ru->ru_utime.tv_sec, &ru->ru_utime.tv_usec);
	ticks_to_timeval(t->cstime, &ru->ru_stime.tv_sec, &ru->ru_stime.tv_usec);
	ru->ru_maxrss = (int32_t)t->cmaxrss_kb;
	ru->ru_minflt = (int32_t)t->cmin_flt;
	ru->ru_nvcsw = (int32_t)t->cnvcsw;
	ru->ru_nivcsw = (int32_t)t->cnivcsw;
}

void rusage_both(struct task *child, struct rusage *ru)
{
	memset(ru, 0, sizeof *ru);
	uint64_t ut = child->utime + child->cutime, st = child->stime + child->cstime;
	ticks_to_timeval(ut, &ru->ru_utime.tv_sec, &ru->ru_utime.tv_usec);
	ticks_to_timeval(st, &ru->ru_stime.tv_sec, &ru->ru_stime.tv_usec);
	uint32_t own = peak_rss_kb(child);	/* a zombie's: what it had at exit */
	ru->ru_maxrss = (int32_t)(own > child->cmaxrss_kb ? own : child->cmaxrss_kb);
	ru->ru_minflt = (int32_t)(child->min_flt + child->cmin_flt);
	ru->ru_nvcsw = (int32_t)(child->nvcsw + child->cnvcsw);
	ru->ru_nivcsw = (int32_t)(child->nivcsw + child->cnivcsw);
}

void rusage_reap(struct task *parent, struct task *child, struct rusage *ru)
{
	/* wait4's answer: the child's own and its children's (RUSAGE_BOTH). */
	rusage_both(child, ru);
	uint32_t maxrss = (uint32_t)ru->ru_maxrss;
	/* The parent's children's figures (its cutime/cstime: exit.c). */
	parent->cmin_flt += child->min_flt + child->cmin_flt;
	parent->cnvcsw += child->nvcsw + child->cnvcsw;
	parent->cnivcsw += child->nivcsw + child->cnivcsw;
	if (maxrss > parent->cmaxrss_kb)
		parent->cmaxrss_kb = maxrss;
}

static long sys_getrusage(int who, struct rusage __user *uru)
{
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	if (who == RUSAGE_SELF || who == RUSAGE_THREAD)	/* one thread a process */
		fill_self(current, &ru);
	else if (who == RUSAGE_CHILDREN)
		fill_children(current, &ru);
	else
		return -EINVAL;
	return copy_to_user(uru, &ru, sizeof ru);
}
SYSCALL(getrusage, sys_getrusage);

/* times: the ticks since boot (only differences mean anything; Linux's
 * start near 2^32 - 300 s and wrap), and the four times if asked. */
static long sys_times(struct tms __user *ubuf)
{
	if (ubuf) {
		struct tms t = {
			.tms_utime = (int32_t)current->utime, .tms_stime = (int32_t)current->stime,
			.tms_cutime = (int32_t)current->cutime, .tms_cstime = (int32_t)current->cstime,
		};
		if (copy_to_user(ubuf, &t, sizeof t))
			return -EFAULT;
	}
	return (long)(uint32_t)timer_ticks();
}
SYSCALL(times, sys_times);
