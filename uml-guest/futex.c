/*
 * futex: FUTEX_WAIT and FUTEX_WAKE, between guest processes.
 *
 * A futex is named by the memory it lives in.  For a shared one that is
 * the physical page and offset, the same in every process that maps the
 * page (a MAP_SHARED area inherited across fork); a private one
 * (FUTEX_PRIVATE_FLAG) is also told apart by its process, since after
 * fork two processes may hold the same physical page copy-on-write
 * without sharing anything.  Waiters block on futex_wchan with their key
 * in their slot; FUTEX_WAKE looks for matching keys.
 */
#include "uml.h"
#include "sys.h"
#include <uapi/futex.h>
#include <uapi/time.h>

static char futex_wchan;

/* The physical address of the word at uaddr (faulted in), or 0. */
static uint32_t futex_key(struct proc *p, uint32_t uaddr, int32_t *value)
{
	if (copy_from_user(p, value, uaddr, sizeof *value))
		return 0;
	uint32_t *e = pt_lookup(p->mm, uaddr, 0);
	return (*e & ~(PAGE - 1)) | (uaddr & (PAGE - 1));
}

static long futex_wait(struct proc *p, uint32_t uaddr, int priv, int32_t val, uint32_t utimeout)
{
	if (p->futex_key) {                     /* a re-run: why were we woken? */
		if (p->futex_woken) {
			p->futex_key = 0;
			p->wake_at = 0;
			return 0;
		}
		if (p->wake_at && now_ns() >= p->wake_at) {
			p->futex_key = 0;
			p->wake_at = 0;
			return -ETIMEDOUT;
		}
		if (sig_pending(p)) {
			p->futex_key = 0;
			p->wake_at = 0;
			return -EINTR;
		}
		return sched_block(p, &futex_wchan, 1);
	}
	int32_t now_val;
	uint32_t key = futex_key(p, uaddr, &now_val);
	if (!key)
		return -EFAULT;
	uint64_t timeout = 0;
	if (utimeout) {
		struct timespec ts;
		if (copy_from_user(p, &ts, utimeout, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		timeout = (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
	}
	if (now_val != val)
		return -EAGAIN;
	p->futex_key = key;
	p->futex_owner = priv ? p : NULL;
	p->futex_woken = 0;
	p->wake_at = utimeout ? now_ns() + timeout : 0;
	return sched_block(p, &futex_wchan, 1);
}

static long futex_wake(struct proc *p, uint32_t uaddr, int priv, int32_t n)
{
	int32_t value;
	uint32_t key = futex_key(p, uaddr, &value);
	int woken = 0;
	if (!key)
		return -EFAULT;
	for (int i = 0; i < proc_slots && woken < n; i++) {
		struct proc *w = procs[i];
		if (w->state == P_BLOCKED && w->wchan == &futex_wchan && w->futex_key == key &&
		    w->futex_owner == (priv ? p : NULL) && !w->futex_woken) {
			w->futex_woken = 1;
			sched_wake_proc(w);
			woken++;
		}
	}
	return woken;
}

long sys_futex(struct proc *p, uint32_t uaddr, int op, uint32_t val, uint32_t utimeout)
{
	int priv = op & FUTEX_PRIVATE_FLAG;
	int cmd = op & FUTEX_CMD_MASK;
	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAKE)
		return -ENOSYS;
	if (uaddr & 3)
		return -EINVAL;
	return cmd == FUTEX_WAIT ? futex_wait(p, uaddr, priv, (int32_t)val, utimeout)
	                         : futex_wake(p, uaddr, priv, (int32_t)val);
}
