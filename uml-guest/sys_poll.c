/*
 * Waiting for descriptors: poll, ppoll, select (_newselect) and pselect6.
 *
 * All four come down to one scan: what each descriptor is ready for now.
 * The guest's pipes answer for themselves (pipe.c), its /proc files are
 * always readable, and host files (regular files, directories, the
 * console) are asked of the host with a poll that does not wait.  A
 * regular file is always ready, as on Linux.
 *
 * A call that finds nothing ready has to wait for several things at
 * once, which one wait channel cannot say: it waits on poll_wchan, which
 * is woken by any change to any pipe and by every tick of the timer, and
 * then it runs again from the start and scans again.  Simple, and at most
 * one tick late for host descriptors.
 *
 * The state a waiting call keeps between its runs is in its slot:
 * p->partial says it has begun (WAIT_BEGUN) and whether it installed a
 * signal mask (WAIT_MASK); p->wake_at is its deadline (0: none).
 *
 * ppoll and pselect6 may give a signal mask for the wait only, exactly as
 * sigsuspend: the old mask goes to p->saved_mask.  If a signal the wait's
 * mask lets through ends the wait, the call returns EINTR and leaves the
 * saved mask for signal.c, whose handler frame restores it (so the handler
 * runs with the wait's mask); otherwise the old mask is back at once.
 */
#include "file.h"
#include "sys.h"
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <uapi/resource.h>
#include <uapi/time.h>

#define BIT(sig)        (1ull << ((sig) - 1))
#define UNBLOCKABLE     (BIT(SIGKILL) | BIT(SIGSTOP))
#define WAIT_BEGUN      1u
#define WAIT_MASK       2u
#define SETS_INLINE_WORDS 32    /* 1,024 descriptors */

char poll_wchan;

/* One scan for a whole call (the guest kernel is never re-entered): arrays
 * in the guest kernel's data for the common small call, from malloc for a
 * bigger one, and given back when the call returns (scan_release), so
 * that no call keeps memory after it (runtests checks the guest's heap
 * blocks around every test). */
#define SCAN_INLINE     64
static struct pollfd pf_inline[SCAN_INLINE], host_inline[SCAN_INLINE];
static int at_inline[SCAN_INLINE];
static struct pollfd *pf = pf_inline, *host = host_inline;
static int *at = at_inline;
static uint32_t room = SCAN_INLINE;

/* Back to the inline arrays. */
static void scan_release(void)
{
	if (pf == pf_inline)
		return;
	free(pf);
	free(host);
	free(at);
	pf = pf_inline;
	host = host_inline;
	at = at_inline;
	room = SCAN_INLINE;
}

/* Room for n entries in pf, host and at (contents not kept): 0, or -ENOMEM. */
static int scan_room(uint32_t n)
{
	if (n <= room)
		return 0;
	scan_release();
	struct pollfd *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	int *c = malloc(n * sizeof *c);
	if (!a || !b || !c) {
		free(a);
		free(b);
		free(c);
		return -ENOMEM;
	}
	pf = a;
	host = b;
	at = c;
	room = n;
	return 0;
}

/* Fill pf[i].revents for n entries; how many have some. */
static int poll_scan(struct proc *p, uint32_t n)
{
	int nhost = 0, ready = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct gfile *f = pf[i].fd < 0 ? NULL : fd_file(p, pf[i].fd);
		pf[i].revents = 0;
		if (pf[i].fd < 0)
			continue;
		if (!f)
			pf[i].revents = POLLNVAL;
		else if (f->type == F_PIPE)
			pf[i].revents = pipe_poll(f) & (pf[i].events | POLLERR | POLLHUP);
		else if (f->type == F_MEM)
			pf[i].revents = pf[i].events & (POLLIN | POLLRDNORM);
		else {
			host[nhost] = (struct pollfd){ .fd = f->hostfd, .events = pf[i].events };
			at[nhost++] = i;
		}
	}
	if (nhost && __syscall3(__NR_poll, host, nhost, 0) > 0)
		for (int j = 0; j < nhost; j++)
			pf[at[j]].revents = host[j].revents;
	for (uint32_t i = 0; i < n; i++)
		ready += pf[i].revents != 0;
	return ready;
}

/*
 * The first run of a wait: its deadline (timeout_ns < 0: none) and its
 * signal mask (umask 0: none; size must be a sigset's).  A re-run keeps
 * what the first run set.
 */
static long wait_begin(struct proc *p, int64_t timeout_ns, uint32_t umask, uint32_t size)
{
	if (p->partial & WAIT_BEGUN)
		return 0;
	if (umask) {
		uint64_t mask;
		if (size != sizeof mask)
			return -EINVAL;
		if (copy_from_user(p, &mask, umask, sizeof mask))
			return -EFAULT;
		p->saved_mask = p->blocked;
		p->has_saved_mask = 1;
		p->blocked = mask & ~UNBLOCKABLE;
		p->partial |= WAIT_MASK;
	}
	p->partial |= WAIT_BEGUN;
	p->wake_at = timeout_ns < 0 ? 0 : now_ns() + (uint64_t)timeout_ns;
	return 0;
}

/* The time left until the deadline, in ns (0 when past). */
static uint64_t time_left(struct proc *p)
{
	uint64_t now = now_ns();
	return p->wake_at > now ? p->wake_at - now : 0;
}

/* The wait ends with r: the mask goes back unless a signal ended it (then
 * signal.c puts it back after the handler's frame is built). */
static void wait_end(struct proc *p, long r)
{
	if ((p->partial & WAIT_MASK) && r != -EINTR) {
		p->blocked = p->saved_mask;
		p->has_saved_mask = 0;
	}
	p->partial = 0;
	p->wake_at = 0;
}

/*
 * After a scan found `ready` descriptors: the result (ready, 0 once the
 * deadline passed, -EINTR for a signal), or BLOCK to scan again later.
 * The caller has begun the wait.
 */
static long wait_decide(struct proc *p, int ready, int64_t timeout_ns)
{
	if (ready || timeout_ns == 0 || (p->wake_at && now_ns() >= p->wake_at))
		return ready;
	if (sig_pending(p))
		return -EINTR;
	return sched_block(p, &poll_wchan, 1);
}

/* One run of poll or ppoll (the arrays are released by do_poll). */
static long poll_once(struct proc *p, uint32_t ufds, uint32_t n, int64_t timeout_ns,
                      uint32_t umask, uint32_t size)
{
	if (n > p->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;         /* as Linux: more than descriptors may exist */
	if (scan_room(n))
		return -ENOMEM;
	long r = wait_begin(p, timeout_ns, umask, size);
	if (r < 0)
		return r;
	if (n && copy_from_user(p, pf, ufds, n * sizeof pf[0]))
		r = -EFAULT;
	else
		r = wait_decide(p, poll_scan(p, n), timeout_ns);
	if (r >= 0 && n && copy_to_user(p, ufds, pf, n * sizeof pf[0]))
		r = -EFAULT;
	return r;
}

/* poll and ppoll: the descriptors, and a timeout already in ns (< 0: none). */
static long do_poll(struct proc *p, uint32_t ufds, uint32_t n, int64_t timeout_ns,
                    uint32_t umask, uint32_t size)
{
	long r = poll_once(p, ufds, n, timeout_ns, umask, size);
	scan_release();
	return r;
}

long sys_poll(struct proc *p, uint32_t ufds, uint32_t n, int timeout_ms)
{
	long r = do_poll(p, ufds, n, timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000, 0, 0);
	if (r != BLOCK)
		wait_end(p, r);
	return r;
}

/* A timespec timeout in ns (-1 for none), or -EINVAL; time64: a struct
 * kernel_timespec64, of whose tv_nsec an i386 caller's low 32 bits count. */
static long timespec_ns(struct proc *p, uint32_t uts, int64_t *ns, int time64)
{
	struct kernel_timespec64 ts;
	*ns = -1;
	if (!uts || (p->partial & WAIT_BEGUN))
		return 0;
	if (time64) {
		if (copy_from_user(p, &ts, uts, sizeof ts))
			return -EFAULT;
		ts.tv_nsec = (int32_t)ts.tv_nsec;
	} else {
		struct timespec t32;
		if (copy_from_user(p, &t32, uts, sizeof t32))
			return -EFAULT;
		ts = (struct kernel_timespec64){ t32.tv_sec, t32.tv_nsec };
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*ns = ts.tv_sec > INT64_MAX / 1000000000 - 1 ? INT64_MAX : ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}

/* Write the time left back to a timespec (or timeval, or with time64 a
 * kernel_timespec64), as Linux does, once the wait has begun. */
static long put_time_left(struct proc *p, uint32_t uts, int timeval, long r, int time64)
{
	uint64_t left = time_left(p);
	struct timespec ts = { (long)(left / 1000000000u), (long)(left % 1000000000u) };
	struct kernel_timespec64 t64 = { (int64_t)(left / 1000000000u), (int64_t)(left % 1000000000u) };
	if (timeval)
		ts.tv_nsec /= 1000;
	if (uts && (p->partial & WAIT_BEGUN) && r != -EFAULT &&
	    (time64 ? copy_to_user(p, uts, &t64, sizeof t64) : copy_to_user(p, uts, &ts, sizeof ts)) &&
	    r >= 0)
		return -EFAULT;
	return r;
}

long sys_ppoll(struct proc *p, uint32_t ufds, uint32_t n, uint32_t uts, uint32_t umask,
              uint32_t size, int time64)
{
	int64_t ns;
	long r = timespec_ns(p, uts, &ns, time64);
	if (r == 0 && (p->partial & WAIT_BEGUN))
		ns = p->wake_at ? 1 : -1;       /* a re-run: only "finite or not" matters now */
	if (r == 0)
		r = do_poll(p, ufds, n, ns, umask, size);
	if (r == BLOCK)
		return r;
	r = put_time_left(p, uts, 0, r, time64);
	wait_end(p, r);
	return r;
}

/*
 * select and pselect6: three bit sets of descriptors below n (in, out,
 * exceptional), each turned into poll events and back.  As Linux: n past
 * the size of the descriptor table is cut down to it (so bits past the
 * table are never read or checked), a set bit for a descriptor that is
 * not open is EBADF, and the sets are written back only on success: what
 * is ready, or all clear on a timeout.
 */
static long select_once(struct proc *p, int n, const uint32_t uset[3], int64_t timeout_ns,
                        uint32_t umask, uint32_t size, uint32_t **big)
{
	static const short ask[3] = { POLLIN, POLLOUT, POLLPRI };
	static const short got[3] = { POLLIN | POLLRDNORM | POLLHUP | POLLERR,
	                              POLLOUT | POLLWRNORM | POLLERR, POLLPRI };
	static uint32_t sets_inline[6 * SETS_INLINE_WORDS];
	uint32_t *sets = sets_inline;   /* want[3], then out[3], of `words` each */
	if (n < 0)
		return -EINVAL;
	if (n > p->max_fds)
		n = p->max_fds;
	uint32_t words = (uint32_t)(n + 31) / 32, bytes = words * 4;
	if (words > SETS_INLINE_WORDS && !(sets = *big = malloc(6 * words * sizeof *sets)))
		return -ENOMEM;
	if (scan_room(n ? n : 1))
		return -ENOMEM;
	uint32_t *want[3] = { sets, sets + words, sets + 2 * words };
	uint32_t *out[3] = { sets + 3 * words, sets + 4 * words, sets + 5 * words };
	long r = wait_begin(p, timeout_ns, umask, size);
	if (r < 0)
		return r;
	memset(sets, 0, 6 * bytes);
	for (int s = 0; s < 3; s++)
		if (uset[s] && copy_from_user(p, want[s], uset[s], bytes))
			return -EFAULT;
	uint32_t k = 0;
	for (int fd = 0; fd < n; fd++) {
		short ev = 0;
		for (int s = 0; s < 3; s++)
			if (want[s][fd / 32] >> (fd % 32) & 1)
				ev |= ask[s];
		if (!ev)
			continue;
		if (!fd_file(p, fd))
			return -EBADF;
		pf[k++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	poll_scan(p, k);
	int count = 0;
	for (uint32_t i = 0; i < k; i++)
		for (int s = 0; s < 3; s++)
			if ((pf[i].events & ask[s]) && (pf[i].revents & got[s])) {
				out[s][pf[i].fd / 32] |= 1u << (pf[i].fd % 32);
				count++;
			}
	r = wait_decide(p, count, timeout_ns);
	if (r == 0)
		memset(out[0], 0, 3 * bytes);   /* timed out: nothing ready */
	for (int s = 0; s < 3 && r >= 0; s++)
		if (uset[s] && copy_to_user(p, uset[s], out[s], bytes))
			r = -EFAULT;
	return r;
}

/* select's sets for up to SETS_INLINE_WORDS * 32 descriptors live in the
 * guest kernel's data; a bigger call's come from malloc, freed when it
 * returns (as the scan arrays are). */
static long do_select(struct proc *p, int n, const uint32_t uset[3], int64_t timeout_ns,
                      uint32_t umask, uint32_t size)
{
	uint32_t *big = NULL;
	long r = select_once(p, n, uset, timeout_ns, umask, size, &big);
	free(big);
	scan_release();
	return r;
}

/* _newselect(n, in, out, ex, timeval *): the time left goes back too. */
long sys_select(struct proc *p, int n, uint32_t uin, uint32_t uout, uint32_t uex, uint32_t utv)
{
	const uint32_t uset[3] = { uin, uout, uex };
	int64_t ns = -1;
	long r = 0;
	if (utv && !(p->partial & WAIT_BEGUN)) {
		struct timeval tv;
		if (copy_from_user(p, &tv, utv, sizeof tv))
			return -EFAULT;
		/* As Linux: whole seconds of tv_usec count as seconds; what is
		 * left must not be negative, nor the seconds. */
		int64_t sec = (int64_t)tv.tv_sec + tv.tv_usec / 1000000, usec = tv.tv_usec % 1000000;
		if (sec < 0 || usec < 0)
			return -EINVAL;
		ns = sec * 1000000000 + usec * 1000;
	} else if (p->partial & WAIT_BEGUN) {
		ns = p->wake_at ? 1 : -1;
	}
	r = do_select(p, n, uset, ns, 0, 0);
	if (r == BLOCK)
		return r;
	r = put_time_left(p, utv, 1, r, 0);
	wait_end(p, r);
	return r;
}

/* pselect6(n, in, out, ex, timespec *, { sigset *, size } *). */
long sys_pselect6(struct proc *p, int n, uint32_t uin, uint32_t uout, uint32_t uex, uint32_t uts,
                  uint32_t usig, int time64)
{
	const uint32_t uset[3] = { uin, uout, uex };
	struct { uint32_t set, size; } sig = { 0, 0 };
	int64_t ns;
	long r = timespec_ns(p, uts, &ns, time64);
	if (r == 0 && (p->partial & WAIT_BEGUN))
		ns = p->wake_at ? 1 : -1;
	if (r == 0 && usig && !(p->partial & WAIT_BEGUN) && copy_from_user(p, &sig, usig, sizeof sig))
		r = -EFAULT;
	if (r == 0)
		r = do_select(p, n, uset, ns, sig.set, sig.size);
	if (r == BLOCK)
		return r;
	r = put_time_left(p, uts, 0, r, time64);
	wait_end(p, r);
	return r;
}
