/*
 * altmm wrappers (see <altmm.h> and chapter 6): the address-space
 * descriptors, mapping into any space, sigaltmm and sigaction with sa_mm.
 */
#include <altmm.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#define RET(x) return __syscall_ret(x)

/* CLOEXEC: a descriptor of an address space is power over it; an exec'd
 * program should not inherit that by accident. */
int mm_new(void)  { return open(ALTMM_NEW_MM_PATH, O_RDWR | O_CLOEXEC); }
int mm_self(void) { return open(ALTMM_SELF_MM_PATH, O_RDWR | O_CLOEXEC); }

/* The address returned names a place in the space mmfd stands for; it is
 * a pointer here only when that space is our own. */
void *mm_mmap(int mmfd, void *addr, size_t len, int prot, int flags, int fd, unsigned pgoff)
{
	struct mm_mmap_args a = {
		.addr = (uint32_t)addr, .len = len, .prot = (uint32_t)prot,
		.flags = (uint32_t)flags, .fd = fd, .pgoff = pgoff,
	};
	return (void *)__syscall_ret(__syscall2(__NR_mm_mmap, mmfd, &a));
}

int mm_munmap(int mmfd, void *addr, size_t len)
{
	RET(__syscall3(__NR_mm_munmap, mmfd, addr, len));
}

int mm_mprotect(int mmfd, void *addr, size_t len, int prot)
{
	RET(__syscall4(__NR_mm_mprotect, mmfd, addr, len, prot));
}

int mm_batch(int mmfd, struct mm_op *ops, unsigned n)
{
	RET(__syscall3(__NR_mm_batch, mmfd, ops, n));
}

int sigaltmm(int mmfd) { RET(__syscall1(__NR_sigaltmm, mmfd)); }

/*
 * As sigaction() (lib/signal.c) fills in the restorer, so does this; an
 * SA_IN_MM handler is an SA_SIGINFO one, so it returns through
 * __restore_rt, which runs in the handler's (home) space.  oldact always
 * gets a whole struct sigaction_mm, with sa_mm = -1 unless the kernel
 * reports one.
 */
int sigaction_mm(int sig, const struct sigaction_mm *act, struct sigaction_mm *oldact)
{
	struct sigaction_mm k;

	if (act) {
		k = *act;
		if (!(k.sa.sa_flags & SA_RESTORER)) {
			k.sa.sa_flags |= SA_RESTORER;
			k.sa.sa_restorer = (k.sa.sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
		}
		act = &k;
	}
	if (oldact)
		oldact->sa_mm = -1;
	RET(__syscall4(__NR_rt_sigaction, sig, act, oldact, sizeof(sigset_t)));
}
