/*
 * The altmm system calls: mapping into any address space (mm_mmap,
 * mm_munmap, mm_mprotect, and mm_batch for runs of them) and sigaltmm.
 * They are the same code as mmap2, munmap and mprotect (kernel/mm/mmap.c)
 * applied to the space a descriptor names.
 */
#include <kernel/altmm.h>
#include <kernel/heap.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/altmm.h>

/* Syscall numbers live in <uapi/altmm.h>; SYSCALL() wants __NR_<name>. */

static long sys_mm_mmap(int mmfd, const struct mm_mmap_args __user *uargs)
{
	struct mm_mmap_args a;
	int err;
	struct mm *mm = mm_from_fd(mmfd, &err);
	if (!mm)
		return err;
	long r = copy_from_user(&a, uargs, sizeof a) ? -EFAULT
		 : mm_map_fd(mm, a.addr, a.len, a.prot, a.flags, a.fd, a.pgoff);
	mm_put(mm);
	return r;
}
SYSCALL(mm_mmap, sys_mm_mmap);

static long sys_mm_munmap(int mmfd, uint32_t addr, uint32_t len)
{
	int err;
	struct mm *mm = mm_from_fd(mmfd, &err);
	if (!mm)
		return err;
	long r = mm_unmap(mm, addr, len);
	mm_put(mm);
	return r;
}
SYSCALL(mm_munmap, sys_mm_munmap);

static long sys_mm_mprotect(int mmfd, uint32_t addr, uint32_t len, uint32_t prot)
{
	int err;
	struct mm *mm = mm_from_fd(mmfd, &err);
	if (!mm)
		return err;
	long r = mm_protect(mm, addr, len, prot);
	mm_put(mm);
	return r;
}
SYSCALL(mm_mprotect, sys_mm_mprotect);

static long do_op(struct mm *mm, const struct mm_op *op)
{
	switch (op->op) {
	case MM_OP_MAP: return mm_map_fd(mm, op->addr, op->len, op->prot, op->flags, op->fd, op->pgoff);
	case MM_OP_UNMAP: return mm_unmap(mm, op->addr, op->len);
	case MM_OP_PROTECT: return mm_protect(mm, op->addr, op->len, op->prot);
	default: return -EINVAL;
	}
}

static long sys_mm_batch(int mmfd, struct mm_op __user *uops, uint32_t n)
{
	if (n > MM_BATCH_MAX)
		return -EINVAL;
	int err;
	struct mm *mm = mm_from_fd(mmfd, &err);
	if (!mm)
		return err;
	uint32_t done = 0;
	long ret = 0;
	for (; done < n; done++) {
		struct mm_op op;
		if (copy_from_user(&op, uops + done, sizeof op)) {
			ret = done ? (long)done : -EFAULT;
			break;
		}
		long r = do_op(mm, &op);
		op.result = (int32_t)r;
		if (copy_to_user(&uops[done].result, &op.result, sizeof op.result)) {
			ret = done ? (long)done : -EFAULT;
			break;
		}
		if (mm_is_err(r))
			break;
	}
	mm_put(mm);
	return ret ? ret : (long)done;
}
SYSCALL(mm_batch, sys_mm_batch);

static long sys_sigaltmm(int mmfd)
{
	struct task *t = current;
	struct mm *mm = 0;
	if (mmfd != -1) {
		int err;
		mm = mm_from_fd(mmfd, &err);
		if (!mm)
			return err;
	}
	if (t->altmm_space)
		mm_put(t->altmm_space);
	t->altmm_space = mm;
	t->altmm_fd = mm ? mmfd : -1;
	return 0;
}
SYSCALL(sigaltmm, sys_sigaltmm);
