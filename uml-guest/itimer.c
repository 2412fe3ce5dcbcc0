/*
 * Interval timers of guest processes: alarm, setitimer, getitimer.
 *
 * ITIMER_REAL counts wall-clock time: a deadline, checked at every tick
 * of our own timer (so at most one tick, 10 ms, late).  ITIMER_VIRTUAL
 * and ITIMER_PROF count the process's CPU time, which we measure the way
 * Linux does, by sampling: each tick of our timer that interrupts a
 * guest process is one tick of its time (its system time is ours, and
 * not counted).
 */
#include "uml.h"
#include "sys.h"
#include <string.h>
#include <uapi/time.h>

static const int timer_signal[3] = { SIGALRM, SIGVTALRM, SIGPROF };

static uint64_t left_us(struct proc *p, int which)
{
	struct itimer *t = &p->itimer[which];
	if (which != ITIMER_REAL)
		return t->left_us;
	if (!t->deadline_ns)
		return 0;
	uint64_t now = now_ns();
	return t->deadline_ns > now ? (t->deadline_ns - now + 999) / 1000 : 1;
}

static void arm(struct proc *p, int which, uint64_t us, uint32_t interval_us)
{
	struct itimer *t = &p->itimer[which];
	t->interval_us = interval_us;
	if (which == ITIMER_REAL)
		t->deadline_ns = us ? now_ns() + us * 1000 : 0;
	else
		t->left_us = us;
}

/* Every tick: real-time timers that expired, in every process. */
void itimer_tick(uint64_t now)
{
	for (int i = 0; i < proc_slots; i++) {
		struct itimer *t = &procs[i]->itimer[ITIMER_REAL];
		if (procs[i]->state == P_FREE || procs[i]->state == P_ZOMBIE || !t->deadline_ns ||
		    t->deadline_ns > now)
			continue;
		t->deadline_ns = t->interval_us ? now + t->interval_us * 1000ull : 0;
		sig_send(procs[i], SIGALRM, NULL);
	}
}

/* A tick found p running: one tick of its CPU time. */
void itimer_charge(struct proc *p)
{
	p->utime_ticks++;
	gstats.user++;
	for (int which = ITIMER_VIRTUAL; which <= ITIMER_PROF; which++) {
		struct itimer *t = &p->itimer[which];
		if (!t->left_us)
			continue;
		if (t->left_us > TICK_US) {
			t->left_us -= TICK_US;
			continue;
		}
		t->left_us = t->interval_us;
		sig_send(p, timer_signal[which], NULL);
	}
}

static void get(struct proc *p, int which, struct itimerval *it)
{
	uint64_t left = left_us(p, which);
	it->it_value.tv_sec = left / 1000000;
	it->it_value.tv_usec = left % 1000000;
	it->it_interval.tv_sec = p->itimer[which].interval_us / 1000000;
	it->it_interval.tv_usec = p->itimer[which].interval_us % 1000000;
}

long sys_setitimer(struct proc *p, int which, uint32_t unew, uint32_t uold)
{
	struct itimerval it, old;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(p, &it, unew, sizeof it))
		return -EFAULT;
	if (unew && (it.it_value.tv_usec < 0 || it.it_value.tv_usec >= 1000000 ||
	             it.it_interval.tv_usec < 0 || it.it_interval.tv_usec >= 1000000 ||
	             it.it_value.tv_sec < 0 || it.it_interval.tv_sec < 0))
		return -EINVAL;
	get(p, which, &old);
	if (uold && copy_to_user(p, uold, &old, sizeof old))
		return -EFAULT;
	if (unew)
		arm(p, which, (uint64_t)it.it_value.tv_sec * 1000000 + it.it_value.tv_usec,
		    it.it_interval.tv_sec * 1000000 + it.it_interval.tv_usec);
	return 0;
}

long sys_getitimer(struct proc *p, int which, uint32_t uval)
{
	struct itimerval it;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	get(p, which, &it);
	return copy_to_user(p, uval, &it, sizeof it);
}

/* alarm: ITIMER_REAL in whole seconds; the old one's seconds, rounded up. */
long sys_alarm(struct proc *p, uint32_t seconds)
{
	struct itimerval old;
	get(p, ITIMER_REAL, &old);
	arm(p, ITIMER_REAL, (uint64_t)seconds * 1000000, 0);
	return old.it_value.tv_sec + (old.it_value.tv_usec ? 1 : 0);
}
