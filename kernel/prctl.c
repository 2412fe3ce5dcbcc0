/*
 * prctl, for the options glibc, busybox and process supervisors use, as
 * Linux 6.1 answers them; any other option is EINVAL, as Linux says for
 * an option it does not know.
 *
 *   PR_SET_NAME / PR_GET_NAME           the task's comm (15 bytes and a NUL)
 *   PR_SET_PDEATHSIG / PR_GET_PDEATHSIG a signal to get when the parent
 *                                       exits (not kept across fork)
 *   PR_SET_DUMPABLE / PR_GET_DUMPABLE   0 or 1; fork keeps it, execve
 *                                       makes it 1 (no core dumps yet: a
 *                                       flag that only prctl reads)
 *   PR_SET_CHILD_SUBREAPER / _GET_      orphans of descendants come to the
 *                                       nearest subreaper, not to init
 *                                       (exit.c's reparent_children)
 */
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>

static long put_int(uint32_t uaddr, int v)
{
	return copy_to_user((void __user *)uaddr, &v, sizeof v);
}

static long sys_prctl(int option, uint32_t arg2, uint32_t arg3, uint32_t arg4, uint32_t arg5)
{
	(void)arg3, (void)arg4, (void)arg5;
	switch (option) {
	case PR_SET_NAME: {
		char name[TASK_COMM_LEN];
		memset(name, 0, sizeof name);
		long n = strncpy_from_user(name, (const char __user *)arg2, sizeof name - 1);
		if (n < 0 && n != -ENAMETOOLONG)
			return n;		/* EFAULT */
		name[sizeof name - 1] = 0;
		memcpy(current->comm, name, sizeof name);
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user((void __user *)arg2, current->comm, TASK_COMM_LEN);
	case PR_SET_PDEATHSIG:
		if (arg2 > 64)
			return -EINVAL;
		current->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(arg2, current->pdeath_signal);
	case PR_GET_DUMPABLE:
		return current->dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		current->dumpable = (int)arg2;
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		current->child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(arg2, current->child_subreaper);
	default:
		return -EINVAL;
	}
}
SYSCALL(prctl, sys_prctl);
