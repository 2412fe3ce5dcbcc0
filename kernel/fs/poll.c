/*
 * poll, ppoll, select and pselect6: wait until one of several
 * descriptors is ready.
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
#include <kernel/signal.h>
#include <kernel/heap.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/poll.h>
#include <uapi/resource.h>
#include <uapi/time.h>

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

/* Wait on a kernel array of pollfds: timeout in ticks, -1 for ever.
 * Returns how many are ready, 0 on timeout, or -ERESTARTNOHAND for a signal. */
static long poll_kernel(struct pollfd *fds, uint32_t n, int64_t timeout)
{
	long ret;
	uint64_t deadline = timeout > 0 ? timer_ticks() + (uint64_t)timeout : 0;
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
			/* A signal: EINTR if a handler runs, else poll starts over (Linux). */
			ret = err == -ERESTARTSYS ? -ERESTARTNOHAND : err;
			break;
		}
	}
	irq_restore(irq);
	return ret;
}

static long do_poll(struct pollfd *ufds, uint32_t n, int64_t timeout)
{
	if (n > current->rlimits[RLIMIT_NOFILE].cur)
		return -EINVAL;		/* as Linux: more entries than descriptors may exist */
	struct pollfd *fds = kmalloc(n ? n * sizeof *fds : 1);
	if (!fds)
		return -ENOMEM;
	long ret = copy_from_user(fds, ufds, n * sizeof *fds);
	if (!ret)
		ret = poll_kernel(fds, n, timeout);
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

/* Ticks left of a timeout after a wait that began at start and returned r:
 * none when it timed out (r == 0), as Linux reports. */
static int64_t ticks_left(int64_t ticks, uint64_t start, long r)
{
	uint64_t used = timer_ticks() - start;
	if (r == 0 || ticks <= (int64_t)used)
		return 0;
	return ticks - (int64_t)used;
}

/*
 * ppoll and pselect6 take a timespec, 32- or 64-bit (the _time64 calls),
 * and write the time left back, as Linux does; and a signal mask that
 * replaces the blocked set for the duration of the wait, atomically, as
 * sigsuspend does.  If a signal interrupts the wait, its handler runs with
 * that mask and the old one comes back when the handler returns (the
 * frame saves it); otherwise the old mask is back at once.
 */
struct wait_timeout {
	void *user;		/* where the timespec came from (NULL: no timeout) */
	bool wide;		/* struct kernel_timespec64, not struct timespec */
	int64_t ticks;		/* -1: wait for ever */
};

static long read_timeout(struct wait_timeout *t, void *user, bool wide)
{
	t->user = user;
	t->wide = wide;
	t->ticks = -1;
	if (!user)
		return 0;
	int64_t sec, nsec;
	if (wide) {
		struct kernel_timespec64 ts;
		if (copy_from_user(&ts, user, sizeof ts))
			return -EFAULT;
		sec = ts.tv_sec;
		nsec = (int32_t)ts.tv_nsec;	/* i386 callers: only the low half counts */
	} else {
		struct timespec ts;
		if (copy_from_user(&ts, user, sizeof ts))
			return -EFAULT;
		sec = ts.tv_sec;
		nsec = ts.tv_nsec;
	}
	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	t->ticks = sec * TIMER_HZ + (nsec * TIMER_HZ + 999999999) / 1000000000;	/* round up */
	return 0;
}

static long write_time_left(const struct wait_timeout *t, uint64_t start, long r)
{
	if (!t->user || r < 0)
		return r;
	int64_t left = ticks_left(t->ticks, start, r);
	int64_t sec = left / TIMER_HZ, nsec = left % TIMER_HZ * (1000000000 / TIMER_HZ);
	struct kernel_timespec64 ts64 = { sec, nsec };
	struct timespec ts = { (int32_t)sec, (int32_t)nsec };
	if (t->wide ? copy_to_user(t->user, &ts64, sizeof ts64) : copy_to_user(t->user, &ts, sizeof ts))
		return -EFAULT;
	return r;
}

/* Install the caller's mask for the wait (umask NULL: leave the mask be). */
static long mask_begin(const uint64_t *umask, uint32_t size)
{
	if (!umask)
		return 0;
	uint64_t mask;
	if (size != sizeof mask)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof mask))
		return -EFAULT;
	current->sig.saved_blocked = current->sig.blocked;
	current->sig.restore_blocked = true;
	current->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	signal_recalc(current);
	return 0;
}

/* After the wait: give the old mask back now, unless a handler is about to
 * run for the signal that interrupted us (signal delivery does it then). */
static void mask_end(const uint64_t *umask, long r)
{
	if (!umask || !current->sig.restore_blocked)
		return;
	if (r == -ERESTARTNOHAND && signal_pending(current))
		return;
	current->sig.blocked = current->sig.saved_blocked;
	current->sig.restore_blocked = false;
	signal_recalc(current);
}

static long do_ppoll(struct pollfd *fds, uint32_t n, void *uts, bool wide, const uint64_t *umask,
		     uint32_t size)
{
	struct wait_timeout t;
	long err = read_timeout(&t, uts, wide);
	if (!err)
		err = mask_begin(umask, size);
	if (err)
		return err;
	uint64_t start = timer_ticks();
	long r = do_poll(fds, n, t.ticks);
	mask_end(umask, r);
	return write_time_left(&t, start, r);
}

long sys_ppoll(struct pollfd *fds, uint32_t n, struct timespec *uts, const uint64_t *umask, uint32_t size)
{
	return do_ppoll(fds, n, uts, false, umask, size);
}
SYSCALL(ppoll, sys_ppoll);

long sys_ppoll_time64(struct pollfd *fds, uint32_t n, struct kernel_timespec64 *uts,
		      const uint64_t *umask, uint32_t size)
{
	return do_ppoll(fds, n, uts, true, umask, size);
}
SYSCALL(ppoll_time64, sys_ppoll_time64);

/* --- select -------------------------------------------------------------------------- */

/*
 * select and pselect6 are poll with bitmaps: each descriptor set in any of
 * the three sets becomes one pollfd, and the answer goes back into the
 * bitmaps.  As Linux: nfds beyond the descriptor table's size is cut down
 * to it (so bits past the table are never read, let alone checked), a
 * descriptor that is not open is EBADF, "readable" includes end of file
 * and errors, "writable" includes errors.
 */
#define SEL_IN		(POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SEL_OUT		(POLLOUT | POLLWRNORM | POLLERR)
#define SEL_EX		POLLPRI

static bool bit(const uint32_t *set, int fd) { return set[fd / 32] >> (fd % 32) & 1; }

static long do_select(int n, uint32_t *uin, uint32_t *uout, uint32_t *uex, int64_t timeout)
{
	if (n < 0)
		return -EINVAL;
	int table = files_table_size(current->files);
	if (n > table)
		n = table;
	size_t words = (size_t)(n + 31) / 32, bytes = words * 4;
	/* The three sets asked about, then the three answers. */
	uint32_t *mem = kzalloc(6 * bytes + 1);
	if (!mem)
		return -ENOMEM;
	uint32_t *sets[3] = { mem, mem + words, mem + 2 * words };
	uint32_t *result[3] = { mem + 3 * words, mem + 4 * words, mem + 5 * words };
	uint32_t *user[3] = { uin, uout, uex };
	long ret = 0;
	for (int k = 0; k < 3 && !ret; k++)
		if (user[k] && copy_from_user(sets[k], user[k], bytes))
			ret = -EFAULT;
	/* One pollfd per descriptor asked about (there may be a million slots). */
	uint32_t count = 0;
	for (size_t w = 0; w < words && !ret; w++)
		count += (uint32_t)__builtin_popcount(sets[0][w] | sets[1][w] | sets[2][w]);
	struct pollfd *fds = ret ? 0 : kmalloc((count ? count : 1) * sizeof *fds);
	if (!ret && !fds)
		ret = -ENOMEM;
	count = 0;
	for (int fd = 0; fd < n && !ret; fd++) {
		short ev = (short)((bit(sets[0], fd) ? SEL_IN : 0) | (bit(sets[1], fd) ? SEL_OUT : 0) |
				   (bit(sets[2], fd) ? SEL_EX : 0));
		if (!ev)
			continue;
		struct file *f = fd_get(fd);
		if (!f)
			ret = -EBADF;
		file_put(f);
		fds[count++] = (struct pollfd){ fd, ev, 0 };
	}
	if (!ret)
		ret = poll_kernel(fds, count, timeout);
	if (ret >= 0) {
		ret = 0;
		for (uint32_t i = 0; i < count; i++) {
			int fd = fds[i].fd;
			short r = fds[i].revents;
			short want[3] = { SEL_IN, SEL_OUT, SEL_EX };
			for (int k = 0; k < 3; k++) {
				if (bit(sets[k], fd) && (r & want[k])) {
					result[k][fd / 32] |= 1u << (fd % 32);
					ret++;	/* select counts bits, not descriptors */
				}
			}
		}
		for (int k = 0; k < 3; k++)
			if (user[k] && copy_to_user(user[k], result[k], bytes))
				ret = -EFAULT;
	}
	kfree(mem);
	kfree(fds);
	return ret;
}

long sys__newselect(int n, uint32_t *in, uint32_t *out, uint32_t *ex, struct timeval *utv)
{
	int64_t ticks = -1;
	struct timeval tv;
	if (utv) {
		if (copy_from_user(&tv, utv, sizeof tv))
			return -EFAULT;
		/* As Linux: whole seconds of tv_usec count as seconds; what is
		 * left must not be negative, nor the seconds. */
		int64_t sec = (int64_t)tv.tv_sec + tv.tv_usec / 1000000, usec = tv.tv_usec % 1000000;
		if (sec < 0 || usec < 0)
			return -EINVAL;
		ticks = sec * TIMER_HZ + (usec * TIMER_HZ + 999999) / 1000000;
	}
	uint64_t start = timer_ticks();
	long r = do_select(n, in, out, ex, ticks);
	if (utv && r >= 0) {
		/* Linux writes back the time left. */
		int64_t left = ticks_left(ticks, start, r);
		tv.tv_sec = (int32_t)(left / TIMER_HZ);
		tv.tv_usec = (int32_t)(left % TIMER_HZ * (1000000 / TIMER_HZ));
		if (copy_to_user(utv, &tv, sizeof tv))
			return -EFAULT;
	}
	return r;
}
SYSCALL(_newselect, sys__newselect);

/* pselect6's sixth argument: the mask and its size, in user memory. */
struct pselect_mask {
	uint32_t set;	/* const uint64_t * */
	uint32_t size;
};

static long do_pselect(int n, uint32_t *in, uint32_t *out, uint32_t *ex, void *uts, bool wide,
		       const struct pselect_mask *umask)
{
	struct wait_timeout t;
	struct pselect_mask m = { 0, 0 };
	long err = read_timeout(&t, uts, wide);
	if (!err && umask && copy_from_user(&m, umask, sizeof m))
		err = -EFAULT;
	const uint64_t *set = (const uint64_t *)m.set;
	if (!err)
		err = mask_begin(set, m.size);
	if (err)
		return err;
	uint64_t start = timer_ticks();
	long r = do_select(n, in, out, ex, t.ticks);
	mask_end(set, r);
	return write_time_left(&t, start, r);
}

long sys_pselect6(int n, uint32_t *in, uint32_t *out, uint32_t *ex, struct timespec *uts,
		  const struct pselect_mask *umask)
{
	return do_pselect(n, in, out, ex, uts, false, umask);
}
SYSCALL(pselect6, sys_pselect6);

long sys_pselect6_time64(int n, uint32_t *in, uint32_t *out, uint32_t *ex,
			 struct kernel_timespec64 *uts, const struct pselect_mask *umask)
{
	return do_pselect(n, in, out, ex, uts, true, umask);
}
SYSCALL(pselect6_time64, sys_pselect6_time64);
