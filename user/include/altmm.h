/*
 * altmm from user space: address spaces as descriptors, mapping into them,
 * and the signal machinery that runs code in them (chapter 6).
 *
 * The ABI itself (call numbers, structs, the frame) is <uapi/altmm.h>;
 * these are the C wrappers, each returning -1 and setting errno on
 * failure like the rest of our libc.
 *
 *   mm_new()            a new, empty address space: open("/proc/new-mm")
 *   mm_self()           our own (home) address space: open("/proc/self/mm")
 *                       (both O_RDWR | O_CLOEXEC)
 *   mm_mmap(mmfd, ...)  mmap2 into the space mmfd names; the address there
 *                       (meaningful in that space only), or MAP_FAILED
 *   mm_munmap, mm_mprotect   munmap and mprotect on the named space
 *   mm_batch(mmfd, ops, n)   n map/unmap/protect ops in order; how many
 *                       succeeded (ops[ret].result = -errno of the first
 *                       failure when ret < n)
 *   sigaltmm(mmfd)      where SA_IN_MM handlers run; -1 turns it off
 *   sigaction_mm(sig, act, oldact)
 *                       sigaction with sa_mm: struct sigaction_mm is our
 *                       struct sigaction followed by int sa_mm, exactly
 *                       the kernel's struct kernel_sigaction_mm.  The
 *                       kernel reads sa_mm only when act has SA_IN_MM and
 *                       reports it only for an old action that has it:
 *                       for any other, oldact->sa_mm reads -1.
 *
 * An SA_IN_MM handler is an SA_SIGINFO handler whose third argument is a
 * struct altmm_ucontext: edit uc_mcontext and uc_mm and return to enter
 * (or stay in, or leave) a guest space.
 */
#ifndef _ALTMM_H
#define _ALTMM_H

#include <signal.h>
#include <sys/mman.h>
#include <uapi/altmm.h>

struct sigaction_mm {
	struct sigaction sa;
	int sa_mm;              /* -1: the sigaltmm space */
};

_Static_assert(sizeof(struct sigaction_mm) == sizeof(struct kernel_sigaction_mm), "sigaction_mm");
_Static_assert(offsetof(struct sigaction_mm, sa_mm) == offsetof(struct kernel_sigaction_mm, sa_mm),
               "sigaction_mm sa_mm");

int mm_new(void);
int mm_self(void);
void *mm_mmap(int mmfd, void *addr, size_t len, int prot, int flags, int fd, unsigned pgoff);
int mm_munmap(int mmfd, void *addr, size_t len);
int mm_mprotect(int mmfd, void *addr, size_t len, int prot);
int mm_batch(int mmfd, struct mm_op *ops, unsigned n);
int sigaltmm(int mmfd);
int sigaction_mm(int sig, const struct sigaction_mm *act, struct sigaction_mm *oldact);

#endif
