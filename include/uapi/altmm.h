/*
 * altmm: address spaces as first-class objects (this kernel's own ABI).
 *
 * System calls, in a private block above Linux's numbers:
 *
 *   mm_mmap(int mmfd, const struct mm_mmap_args *args)
 *	exactly mmap2(args->addr, len, prot, flags, fd, pgoff), but into the
 *	address space mmfd names: the mapped address, or -errno.
 *   mm_munmap(int mmfd, uint32_t addr, uint32_t len)
 *   mm_mprotect(int mmfd, uint32_t addr, uint32_t len, uint32_t prot)
 *	exactly munmap and mprotect, on the named space.
 *   mm_batch(int mmfd, struct mm_op *ops, uint32_t n)
 *	the three above, n at a time, in order, on one space: a user-mode
 *	kernel edits spaces in runs.  Each op's result is written back to
 *	op->result (an address for MM_OP_MAP, 0 otherwise, or -errno; as a
 *	32-bit int an address above 2 GiB reads negative: errors are
 *	-4095..-1).  It stops at the first failure and returns how many
 *	succeeded, so ops[ret] is the one that failed when ret < n.  If the
 *	array becomes unreadable (or a result cannot be written back) part
 *	way, it returns the count done so far; -EFAULT/-EBADF/-EINVAL only
 *	if not even the first op could be read, or for the call itself.
 *   sigaltmm(int mmfd)
 *	names the space in which SA_IN_MM handlers run (normally the
 *	caller's own, from /proc/self/mm); -1 turns it off.  The descriptor
 *	is looked up now: the kernel keeps its own reference to the space.
 *
 * Address-space objects: open("/proc/new-mm", O_RDWR) gives a descriptor
 * of a new, empty space (only the kernel's half); open("/proc/self/mm",
 * O_RDWR) one of the caller's home space (/proc/<pid>/mm of another
 * process: EACCES; any mode but O_RDWR: EINVAL).  fstat says
 * S_IFREG | 0600 with st_dev == ALTMM_DEV (device 0:23); read and write
 * fail with EINVAL, lseek with ESPIPE, mmap with ENODEV.  A descriptor
 * that is not an address space given to any call here: EINVAL; one that
 * is not open: EBADF.  A space lives while a descriptor, a thread running
 * in it, a process (home) or sigaltmm holds it.
 *
 * SA_IN_MM (in <uapi/signal.h>, with the reason for its value): a handler
 * with this flag (which needs SA_SIGINFO: else EINVAL) runs in the sigaltmm
 * space (the home space while sigaltmm is off), whatever space the thread
 * was in.  With it, rt_sigaction's struct kernel_sigaction is followed by
 * `int32_t sa_mm` (struct kernel_sigaction_mm below): the space the
 * handler runs in, or -1 for the sigaltmm one.  sa_mm is looked up when a
 * signal is delivered, so one naming no space shows up then, as SIGSEGV.
 * WARNING: an oldact whose old action has SA_IN_MM is written with 24
 * bytes, so pass a struct kernel_sigaction_mm as oldact whenever the old
 * action may have it.  Without the flag nothing changes.
 *
 * A frame for a thread interrupted in another space than the handler's
 * always goes at the top of the sigaltstack (that space's stack pointer
 * means nothing here), with or without SA_ONSTACK; with no sigaltstack
 * the process dies of SIGSEGV.  A caught signal whose handler lacks
 * SA_IN_MM waits while the thread is in a foreign space.
 *
 * The frame of an SA_IN_MM handler is struct altmm_sigframe: Linux's
 * rt_sigframe, whose ucontext carries one more word, uc_mm: the descriptor
 * through which the interrupted space was entered, or -1 for the home
 * space.  It is lean: a guest that has not used the FPU since it was
 * entered gets no FPU state in its frame (uc_mcontext.fpstate == 0); its
 * FPU registers are then as it was entered with, and returning with
 * fpstate still 0 gives them back to it as they were, whatever the
 * handler did with the FPU meanwhile.  To enter a context with another
 * FPU state (a guest kernel switching processes), point fpstate at one.  rt_sigreturn switches to the space uc_mm names (when uc_flags
 * has UC_ALTMM) and restores the registers: entering a guest is editing
 * the registers and uc_mm, and returning.
 *
 * While a thread runs in a space other than its home space, every
 * int $0x80 becomes SIGSYS (si_code SYS_USER_DISPATCH, si_syscall = the
 * number, si_call_addr = the instruction after it, registers in the
 * frame, eip after the int $0x80); a fault its mappings cannot resolve
 * becomes SIGSEGV/SIGBUS/SIGILL/SIGFPE with trapno, err and cr2.
 */
#ifndef UAPI_ALTMM_H
#define UAPI_ALTMM_H

#include <stdint.h>
#include <uapi/signal.h>

#define __NR_mm_mmap		1000
#define __NR_mm_munmap		1001
#define __NR_mm_mprotect	1002
#define __NR_mm_batch		1003
#define __NR_sigaltmm		1004
#define ALTMM_FIRST_SYSCALL	1000
#define ALTMM_NR_SYSCALLS	5

#define ALTMM_DEV		0x17	/* st_dev of an address-space descriptor: device 0:23 */
#define ALTMM_NEW_MM_PATH	"/proc/new-mm"
#define ALTMM_SELF_MM_PATH	"/proc/self/mm"

struct mm_mmap_args {
	uint32_t addr, len, prot, flags;
	int32_t fd;
	uint32_t pgoff;		/* in pages, as mmap2 */
};

#define MM_OP_MAP	1	/* addr len prot flags fd pgoff */
#define MM_OP_UNMAP	2	/* addr len */
#define MM_OP_PROTECT	3	/* addr len prot */

struct mm_op {
	uint32_t op;
	uint32_t addr, len, prot, flags;
	int32_t fd;
	uint32_t pgoff;
	int32_t result;		/* written back by the kernel */
};

#define MM_BATCH_MAX	1024	/* ops in one mm_batch call */

/* rt_sigaction's argument when sa_flags has SA_IN_MM. */
struct kernel_sigaction_mm {
	struct kernel_sigaction sa;
	int32_t sa_mm;		/* the space the handler runs in; -1: the sigaltmm one */
};

/* uc_flags bit: the ucontext is an altmm_ucontext (uc_mm follows). */
#define UC_ALTMM	0x80000000u

struct altmm_ucontext {
	uint32_t uc_flags;		/* UC_ALTMM */
	uint32_t uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	kernel_sigset_t uc_sigmask;
	int32_t uc_mm;			/* the space to return to: a descriptor, or -1 = home */
};

/*
 * The frame of an SA_IN_MM handler, on the sigaltstack when the thread was
 * in a foreign space (on the home stack otherwise).  Laid out like
 * rt_sigframe (the same offsets up to uc_sigmask), so the handler's
 * second and third arguments work as usual; the FPU state follows, as in
 * rt_sigframe, and uc_mcontext.fpstate points at it.
 */
struct altmm_sigframe {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo;
	uint32_t puc;
	siginfo_t info;
	struct altmm_ucontext uc;
	uint8_t retcode[8];		/* as rt_sigframe's, for debuggers */
};

_Static_assert(sizeof(struct mm_mmap_args) == 24, "mm_mmap_args");
_Static_assert(sizeof(struct mm_op) == 32, "mm_op");
_Static_assert(sizeof(struct kernel_sigaction_mm) == 24, "kernel_sigaction_mm");
_Static_assert(offsetof(struct altmm_sigframe, uc) == 144, "altmm frame: uc where rt_sigframe has it");
_Static_assert(offsetof(struct altmm_ucontext, uc_mm) == sizeof(ucontext_t), "uc_mm after uc_sigmask");

#endif
