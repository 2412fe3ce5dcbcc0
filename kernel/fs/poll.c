/*
 * poll and ppoll: wait until one of several descriptors is ready.
 *
 * The simplest design that is correct: there is one wait queue for all
 * pollers, and every event that can make a descriptor ready (bytes into
 * or out of a pipe, an end closed, a key on the tty) wakes all of them
 * through poll_notify.  A woken poller simply asks every descriptor again
 * (file_ops.poll).  Spurious wake-ups cost a recheck, never a wrong
 * answer.
 *
 * The check and the sleep happen with interrupts off: pipe events come
 * from other tasks, which cannot run until we sleep (the kernel is not
 * preemptible), and tty events come from interrupt handlers, which
 * cannot run at all; so no wake-up can slip in between "nothing is
 * ready" and "asleep".
 */
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#define POLL_MAX_FDS	1024	/* Linux's default RLIMIT_NOFILE: more is EINVAL */

static struct waitq poll_waitq;

void poll_notify(void)
{
	wake_up(&poll_waitq);
}

int fs_sleep_timeout(struct waitq *q, uint64_t ticks)
{
	return sleep_on_until(q, ticks ? timer_ticks() + ticks : 0);
}

/* Ready bits of each entry; returns how many entries have any. */
static int poll_once(struct pollfd *fds, uint32_t n)
{
	int count = 0;
	for (uint32_t i = 0; i < n; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		struct file *f = fd_get(fds[i].fd);
		uint32_t mask;
		if (!f)
			mask = POLLNVAL;
		else if (f->ops->poll)
			mask = f->ops->poll(f);
		else
			mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;	/* files never block */
		file_put(f);
		/* ERR, HUP and NVAL are reported whether asked for or not. */
		fds[i].revents = (short)(mask & ((uint16_t)fds[i].events | POLLERR | POLLHUP | POLLNVAL));
		if (fds[i].revents)
			count++;
	}
	return count;
}

/* timeout in ticks; -1 waits for ever. */
static long do_poll(struct pollfd *ufds, uint32_t n, int64_t timeout)
{
	if (n > POLL_MAX_FDS)
		return -EINVAL;
	struct pollfd *fds = kmalloc(n ? n * sizeof *fds : 1);
	if (!fds)
		return -ENOMEM;
	long ret = copy_from_user(fds, ufds, n * sizeof *fds);
	uint64_t deadline = timeout > 0 ? timer_ticks() + (uint64_t)timeout : 0;
	if (!ret) {
		uint32_t irq = irq_save();
		for (;;) {
			ret = poll_once(fds, n);
			if (ret || timeout == 0)
				break;
			uint64_t now = timer_ticks(), left = 0;
			if (timeout > 0) {
				if (now >= deadline)
					break;
				left = deadline - now;
			}
			int err = fs_sleep_timeout(&poll_waitq, left);
			if (err) {
				ret = err;	/* -EINTR (restarting is the signals issue's) */
				break;
			}
		}
		irq_restore(irq);
	}
	if (ret >= 0 && copy_to_user(ufds, fds, n * sizeof *fds))
		ret = -EFAULT;
	kfree(fds);
	return ret;
}

static int64_t ms_to_ticks(int32_t ms)
{
	if (ms < 0)
		return -1;
	return ((int64_t)ms * TIMER_HZ + 999) / 1000;	/* round up: never wait less */
}

long sys_poll(struct pollfd *fds, uint32_t n, int32_t timeout_ms)
{
	return do_poll(fds, n, ms_to_ticks(timeout_ms));
}
SYSCALL(poll, sys_poll);

/* ppoll: a timespec instead of milliseconds.  The signal mask argument is
 * ignored until signals exist (the signals issue must install it for the
 * duration of the wait). */
static long ppoll_ticks(int64_t sec, int64_t nsec, int64_t *ticks)
{
	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	*ticks = sec * TIMER_HZ + (nsec * TIMER_HZ + 999999999) / 1000000000;
	return 0;
}

long sys_ppoll(struct pollfd *fds, uint32_t n, const struct timespec *uts, const void *sigmask)
{
	(void)sigmask;
	int64_t ticks = -1;
	if (uts) {
		struct timespec ts;
		if (copy_from_user(&ts, uts, sizeof ts))
			return -EFAULT;
		long err = ppoll_ticks(ts.tv_sec, ts.tv_nsec, &ticks);
		if (err)
			return err;
	}
	return do_poll(fds, n, ticks);
}
SYSCALL(ppoll, sys_ppoll);

long sys_ppoll_time64(struct pollfd *fds, uint32_t n, const struct kernel_timespec64 *uts,
		      const void *sigmask)
{
	(void)sigmask;
	int64_t ticks = -1;
	if (uts) {
		struct kernel_timespec64 ts;
		if (copy_from_user(&ts, uts, sizeof ts))
			return -EFAULT;
		long err = ppoll_ticks(ts.tv_sec, (int32_t)ts.tv_nsec, &ticks);
		if (err)
			return err;
	}
	return do_poll(fds, n, ticks);
}
SYSCALL(ppoll_time64, sys_ppoll_time64);
