/*
 * times, getrusage and wait4's rusage for guest processes, as the host
 * kernel answers them (kernel/rusage.c): CPU time in ticks of our 10 ms
 * timer (Linux's USER_HZ is 100 too), all of it user time (the guest
 * kernel's own work is not charged to the process: the host does that);
 * faults resolved (all minor); switches; the peak resident set.
 */
#include "sys.h"
#include <string.h>
#include <uapi/resource.h>
#include <uapi/time.h>

static void ticks_to_timeval(uint64_t ticks, int32_t *sec, int32_t *usec)
{
	*sec = (int32_t)(ticks / 100);
	*usec = (int32_t)(ticks % 100 * 10000);
}

/* The peak resident set of p's space now, in KiB. */
static uint32_t peak_rss_kb(struct proc *p)
{
	uint32_t kb = p->mm ? pt_resident(p->mm) * (PAGE / 1024) : 0;
	if (kb > p->maxrss_kb)
		p->maxrss_kb = kb;
	return p->maxrss_kb;
}

void rusage_exit(struct proc *p)
{
	peak_rss_kb(p);
}

void rusage_both(struct proc *child, struct rusage *ru)
{
	memset(ru, 0, sizeof *ru);
	ticks_to_timeval(child->utime_ticks + child->cutime_ticks, &ru->ru_utime.tv_sec, &ru->ru_utime.tv_usec);
	uint32_t own = peak_rss_kb(child);      /* a zombie's: what it had at exit */
	ru->ru_maxrss = (int32_t)(own > child->cmaxrss_kb ? own : child->cmaxrss_kb);
	ru->ru_minflt = (int32_t)(child->min_flt + child->cmin_flt);
	ru->ru_nvcsw = (int32_t)(child->nvcsw + child->cnvcsw);
	ru->ru_nivcsw = (int32_t)(child->nivcsw + child->cnivcsw);
}

void rusage_reap(struct proc *parent, struct proc *child, struct rusage *ru)
{
	rusage_both(child, ru);
	uint32_t maxrss = (uint32_t)ru->ru_maxrss;
	parent->cmin_flt += child->min_flt + child->cmin_flt;
	parent->cnvcsw += child->nvcsw + child->cnvcsw;
	parent->cnivcsw += child->nivcsw + child->cnivcsw;
	if (maxrss > parent->cmaxrss_kb)
		parent->cmaxrss_kb = maxrss;
}

long sys_getrusage(struct proc *p, int who, uint32_t uru)
{
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	if (who == RUSAGE_SELF || who == RUSAGE_THREAD) {
		ticks_to_timeval(p->utime_ticks, &ru.ru_utime.tv_sec, &ru.ru_utime.tv_usec);
		ru.ru_maxrss = (int32_t)peak_rss_kb(p);
		ru.ru_minflt = (int32_t)p->min_flt;
		ru.ru_nvcsw = (int32_t)p->nvcsw;
		ru.ru_nivcsw = (int32_t)p->nivcsw;
	} else if (who == RUSAGE_CHILDREN) {
		ticks_to_timeval(p->cutime_ticks, &ru.ru_utime.tv_sec, &ru.ru_utime.tv_usec);
		ru.ru_maxrss = (int32_t)p->cmaxrss_kb;
		ru.ru_minflt = (int32_t)p->cmin_flt;
		ru.ru_nvcsw = (int32_t)p->cnvcsw;
		ru.ru_nivcsw = (int32_t)p->cnivcsw;
	} else {
		return -EINVAL;
	}
	return copy_to_user(p, uru, &ru, sizeof ru);
}

long sys_times(struct proc *p, uint32_t ubuf)
{
	if (ubuf) {
		struct tms t = { .tms_utime = (int32_t)p->utime_ticks, .tms_cutime = (int32_t)p->cutime_ticks };
		if (copy_to_user(p, ubuf, &t, sizeof t))
			return -EFAULT;
	}
	return (long)(uint32_t)gstats.ticks;
}
