/*
 * Interval timers: alarm, setitimer and getitimer.
 *
 * ITIMER_REAL counts wall-clock timer ticks and sends SIGALRM;
 * ITIMER_VIRTUAL counts the ticks the process spends in user mode and
 * sends SIGVTALRM; ITIMER_PROF counts user and kernel ticks and sends
 * SIGPROF.  All three are kept in timer ticks (10 ms at 100 Hz): a value
 * is rounded up to whole ticks, so a timer never fires early.
 */
#include <kernel/arch.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/time.h>

#define USEC_PER_TICK (1000000 / TIMER_HZ)

static uint64_t tv_to_ticks(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * TIMER_HZ + ((uint64_t)tv->tv_usec + USEC_PER_TICK - 1) / USEC_PER_TICK;
}

static struct timeval ticks_to_tv(uint64_t ticks)
{
	struct timeval tv = { (int32_t)(ticks / TIMER_HZ), (int32_t)(ticks % TIMER_HZ * USEC_PER_TICK) };
	return tv;
}

/* From the timer interrupt: count down the current task's CPU timers and
 * fire every process's real timer that is due. */
void itimer_tick(uint64_t now, bool user_mode)
{
	struct task *t = current;
	if (t && t->itimer_virt_left && user_mode && !--t->itimer_virt_left) {
		t->itimer_virt_left = t->itimer_virt_interval;
		send_signal(t, SIGVTALRM, 0);
	}
	if (t && t->itimer_prof_left && !--t->itimer_prof_left) {
		t->itimer_prof_left = t->itimer_prof_interval;
		send_signal(t, SIGPROF, 0);
	}
	for (struct task *p = task_list(); p; p = p->all_next)
		if (p->itimer_real_at && p->itimer_real_at <= now && p->state != TASK_ZOMBIE) {
			p->itimer_real_at = p->itimer_real_interval ? now + p->itimer_real_interval : 0;
			send_signal_process(p, SIGALRM, 0);
		}
}

static void get_timer(int which, struct itimerval *v)
{
	struct task *t = current;
	uint64_t now = timer_ticks(), left = 0, interval = 0;
	switch (which) {
	case ITIMER_REAL:
		left = t->itimer_real_at > now ? t->itimer_real_at - now : 0;
		interval = t->itimer_real_interval;
		break;
	case ITIMER_VIRTUAL:
		left = t->itimer_virt_left;
		interval = t->itimer_virt_interval;
		break;
	case ITIMER_PROF:
		left = t->itimer_prof_left;
		interval = t->itimer_prof_interval;
		break;
	}
	v->it_value = ticks_to_tv(left);
	v->it_interval = ticks_to_tv(interval);
}

static long set_timer(int which, const struct itimerval *v, struct itimerval *old)
{
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 || v->it_value.tv_sec < 0 ||
	    v->it_interval.tv_usec < 0 || v->it_interval.tv_usec >= 1000000 || v->it_interval.tv_sec < 0)
		return -EINVAL;
	if (old)
		get_timer(which, old);
	struct task *t = current;
	uint64_t value = tv_to_ticks(&v->it_value), interval = tv_to_ticks(&v->it_interval);
	switch (which) {
	case ITIMER_REAL:
		t->itimer_real_at = value ? timer_ticks() + value : 0;
		t->itimer_real_interval = interval;
		break;
	case ITIMER_VIRTUAL:
		t->itimer_virt_left = value;
		t->itimer_virt_interval = interval;
		break;
	case ITIMER_PROF:
		t->itimer_prof_left = value;
		t->itimer_prof_interval = interval;
		break;
	}
	return 0;
}

static long sys_setitimer(int which, const struct itimerval __user *unew, struct itimerval __user *uold)
{
	struct itimerval v, old;
	if (unew) {
		if (copy_from_user(&v, unew, sizeof v))
			return -EFAULT;
	} else {
		memset(&v, 0, sizeof v);	/* Linux: a NULL new value disarms */
	}
	long err = set_timer(which, &v, &old);
	if (err)
		return err;
	return uold && copy_to_user(uold, &old, sizeof old) ? -EFAULT : 0;
}
SYSCALL(setitimer, sys_setitimer);

static long sys_getitimer(int which, struct itimerval __user *uv)
{
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	struct itimerval v;
	get_timer(which, &v);
	return copy_to_user(uv, &v, sizeof v) ? -EFAULT : 0;
}
SYSCALL(getitimer, sys_getitimer);

static long sys_alarm(uint32_t seconds)
{
	struct itimerval v = { { 0, 0 }, { (int32_t)seconds, 0 } }, old;
	set_timer(ITIMER_REAL, &v, &old);
	/* The seconds that were left, rounded to nearest as Linux does (never 0 if armed). */
	uint32_t left = (uint32_t)old.it_value.tv_sec;
	if ((!left && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		left++;
	return left;
}
SYSCALL(alarm, sys_alarm);
