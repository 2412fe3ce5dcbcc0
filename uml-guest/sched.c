/*
 * Scheduling: who runs next, who waits for what, and the clock.
 *
 * A process is RUNNABLE or BLOCKED.  A system call that must wait (an
 * empty pipe, wait4, nanosleep, the console) calls sched_block with what
 * it waits for, a "wait channel": any address that stands for the event
 * (the pipe, the parent, ...).  Whoever makes the event happen calls
 * sched_wake with the same address.  A woken call is not continued from
 * the middle, as there is no kernel stack to continue it on: it runs
 * again from the start, with the same registers, and this time finds its
 * data (or blocks again).  Linux restarts interrupted calls the same way.
 *
 * The timer (setitimer ITIMER_REAL, 10 ms) preempts: at each tick the
 * next runnable process in the table gets the host thread, round robin.
 * Between ticks the process that trapped goes on, so a system call that
 * does not block costs one trap and no switch.
 *
 * Waiting for a host descriptor (console input, a host pipe) cannot be a
 * wait channel, since no guest event ends it: such processes are polled
 * (poll, timeout 0) at each tick, and idle() sleeps in poll() on them.
 */
#include "uml.h"
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/time.h>

int need_resched;

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

long sched_block(struct proc *p, const void *wchan, int rerun)
{
	p->state = P_BLOCKED;
	p->wchan = wchan;
	p->rerun = rerun;
	p->host_fd = -1;
	return BLOCK;
}

long sched_block_host(struct proc *p, int hostfd, int events)
{
	sched_block(p, &p->host_fd, 1);
	p->host_fd = hostfd;
	p->host_events = events;
	return BLOCK;
}

void sched_wake_proc(struct proc *p)
{
	if (p->state != P_BLOCKED)
		return;
	p->state = P_RUNNABLE;
	p->restart = p->rerun;
	p->wchan = NULL;
	p->host_fd = -1;
}

/* Take back a block: the call returns after all (it had made progress). */
void sched_unblock(struct proc *p)
{
	sched_wake_proc(p);
	p->restart = 0;
}

void sched_wake(const void *wchan)
{
	for (int i = 0; i < proc_slots; i++)
		if (procs[i]->state == P_BLOCKED && procs[i]->wchan == wchan)
			sched_wake_proc(procs[i]);
}

/* Who waits on which host descriptor; fills fds and who, returns how many. */
static int host_waiters(struct pollfd *fds, struct proc **who)
{
	int n = 0;
	for (int i = 0; i < proc_slots; i++) {
		struct proc *p = procs[i];
		if (p->state == P_BLOCKED && p->host_fd >= 0) {
			fds[n].fd = p->host_fd;
			fds[n].events = (short)p->host_events;
			fds[n].revents = 0;
			who[n++] = p;
		}
	}
	return n;
}

/* Wake those whose host descriptor is ready; with timeout_ms != 0
 * (idle), sleep in poll until one is, or a signal comes.  -1 when nobody
 * waits on the host at all. */
int host_wait_poll(int timeout_ms)
{
	static struct pollfd fds[PROC_TABLE];
	static struct proc *who[PROC_TABLE];
	int n = host_waiters(fds, who);
	if (!n)
		return -1;
	int ready = poll(fds, n, timeout_ms);
	if (timeout_ms == 0)
		for (int i = 0; i < n && ready > 0; i++)
			if (fds[i].revents)
				sched_wake_proc(who[i]);
	return ready;
}

/* A tick of our timer (timer = 1), or a kick from idle() (timer = 0). */
void sched_tick(int timer)
{
	if (timer) {
		need_resched = 1;
		procfs_tick();
		uint64_t now = now_ns();
		for (int i = 0; i < proc_slots; i++) {
			struct proc *p = procs[i];
			if (p->state == P_BLOCKED && p->wake_at && p->wake_at <= now)
				sched_wake_proc(p);
		}
		itimer_tick(now);
		sched_wake(&poll_wchan);        /* poll looks at host descriptors again */
	}
	host_wait_poll(0);
}

/*
 * The process to enter now, or NULL if none can run.  The one that
 * trapped goes on unless the timer asked for a switch; otherwise the next
 * runnable one after it in the table.  A woken process first runs its
 * system call again, which may block it once more.
 */
struct proc *sched_pick(void)
{
	struct proc *c = current;
	if (c && sched_continues(c))
		return c;
	need_resched = 0;
	int start = c ? c->slot + 1 : 0;
	for (int i = 0; i < proc_slots; i++) {   /* round robin over the slots in use */
		struct proc *p = procs[(start + i) % proc_slots];
		if (p->state != P_RUNNABLE || p->stopped)
			continue;
		if (p->restart) {
			p->restart = 0;
			syscall_run(p);
			if (p->state != P_RUNNABLE)
				continue;
		}
		if (p != c) {
			gstats.ctxt++;
			if (c && c->state == P_RUNNABLE)
				c->nivcsw++;    /* the tick took the CPU from it */
			else if (c)
				c->nvcsw++;     /* it blocked */
		}
		return p;
	}
	return NULL;
}

void sched_start_timer(void)
{
	struct itimerval it = { { 0, TICK_US }, { 0, TICK_US } };
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		panic("setitimer failed");
}
