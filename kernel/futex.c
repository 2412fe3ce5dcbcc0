/*
 * futex: "fast user-space mutexes".  A program waits on a 32-bit word of
 * its memory only if the word still holds the value it expects, and wakes
 * waiters after changing it.
 *
 * Waiters meet on a key, chosen as Linux chooses it: a word in a shared
 * mapping, used without FUTEX_PRIVATE_FLAG, is keyed by its physical
 * address, so processes sharing the page meet whatever their virtual
 * addresses; every other futex is keyed by (address space, virtual
 * address), and so reaches only waiters in the same address space.
 */
#include <kernel/arch.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/paging.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/futex.h>
#include <uapi/time.h>

struct futex_key {
	struct mm *mm;		/* NULL for a shared (physical) key */
	uint32_t addr;
};

struct futex_waiter {
	struct futex_key key;
	struct waitq queue;
	bool woken;
	struct futex_waiter *next;
};

static struct futex_waiter *waiters;

uint32_t *pte_slot_of(struct mm *mm, uint32_t va, bool create);

/* The key of the user word at uaddr, which the caller has just read (so its
 * page is present). */
static struct futex_key futex_key(uint32_t uaddr, bool private)
{
	struct futex_key key = { current->mm, uaddr };
	struct vma *v = vma_find(current->mm, uaddr);
	uint32_t *slot = pte_slot_of(current->mm, uaddr, false);
	if (!private && v && (v->flags & VMA_SHARED) && slot && (*slot & PTE_PRESENT)) {
		key.mm = 0;
		key.addr = (*slot & PTE_ADDR_MASK) | (uaddr & (PAGE_SIZE - 1));
	}
	return key;
}

static long wake(uint32_t uaddr, int count, bool private)
{
	int32_t dummy;
	if (copy_from_user(&dummy, (void *)uaddr, sizeof dummy))
		return -EFAULT;
	struct futex_key key = futex_key(uaddr, private);
	int n = 0;
	uint32_t irq = irq_save();
	for (struct futex_waiter *w = waiters; w && n < count; w = w->next)
		if (w->key.mm == key.mm && w->key.addr == key.addr && !w->woken) {
			w->woken = true;
			wake_up(&w->queue);
			n++;
		}
	irq_restore(irq);
	return n;
}

/* For exit's CLONE_CHILD_CLEARTID: a shared wake, as Linux does it. */
long futex_wake(uint32_t uaddr, int count)
{
	return wake(uaddr, count, false);
}

static long futex_wait(uint32_t uaddr, int32_t expected, const struct timespec __user *utimeout,
		       bool private)
{
	uint64_t deadline = 0;
	if (utimeout) {
		struct timespec ts;
		if (copy_from_user(&ts, utimeout, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		uint64_t ticks = (uint64_t)ts.tv_sec * TIMER_HZ + ((uint64_t)ts.tv_nsec * TIMER_HZ + 999999999) / 1000000000;
		deadline = timer_ticks() + ticks + 1;
	}
	int32_t value;
	if (copy_from_user(&value, (void *)uaddr, sizeof value))
		return -EFAULT;
	if (value != expected)
		return -EAGAIN;

	struct futex_waiter w = { futex_key(uaddr, private), { 0 }, false, 0 };
	uint32_t irq = irq_save();
	w.next = waiters;
	waiters = &w;
	int err = 0;
	while (!w.woken && (!deadline || timer_ticks() < deadline) && !err)
		err = sleep_on_until(&w.queue, deadline);
	for (struct futex_waiter **p = &waiters; *p; p = &(*p)->next)
		if (*p == &w) {
			*p = w.next;
			break;
		}
	irq_restore(irq);
	if (w.woken)
		return 0;
	if (err)	/* a signal: an untimed wait restarts under SA_RESTART, as in Linux */
		return deadline ? -EINTR : err;
	return -ETIMEDOUT;
}

static long sys_futex(uint32_t uaddr, int op, int32_t val, const struct timespec __user *timeout)
{
	if (uaddr & 3)
		return -EINVAL;
	bool private = op & FUTEX_PRIVATE_FLAG;
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, timeout, private);
	case FUTEX_WAKE:
		return wake(uaddr, val, private);
	default:
		return -ENOSYS;
	}
}
SYSCALL(futex, sys_futex);
