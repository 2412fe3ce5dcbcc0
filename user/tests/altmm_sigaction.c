/*
 * The calls that set altmm's signal handling up, and their errors:
 *
 *   - rt_sigaction: SA_IN_MM needs SA_SIGINFO (EINVAL), SIGKILL cannot
 *     have it; sa_mm (after the 20 bytes of struct kernel_sigaction) is
 *     read only when act has SA_IN_MM (so an act that ends at the end of
 *     a page works without it, EFAULT with it) and written to oldact
 *     only when the old action has it (24 bytes, else 20); our libc's
 *     plain sigaction() never lets those 4 bytes overrun its caller;
 *   - sa_mm is a descriptor looked up at delivery: one that names no
 *     address space then makes the delivery fail: SIGSEGV; one that names
 *     our own space runs the handler here; one that names another space
 *     runs it there (the frame goes at our sigaltstack's addresses in
 *     that space): with no code there, it faults at its first
 *     instruction, and that fault comes to our SIGSEGV handler at home;
 *   - sigaltmm: EINVAL for a descriptor that is not an address space,
 *     EBADF for one that is not open (and any negative one but -1);
 *     -1 turns it off.
 */
#include "sigcheck.h"
#include <altmm.h>
#include <fcntl.h>
#include <sys/mman.h>

static void nop_handler(int sig, siginfo_t *si, void *uc) { (void)sig, (void)si, (void)uc; }

static volatile int hits;
static void count_hit(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	CHECK_EQ(((struct altmm_ucontext *)uc)->uc_mm, -1);
	hits++;
}

/* Where the handler whose sa_mm names the empty space E went: it faulted
 * there, at its first instruction, and that came back to us. */
static int empty_fd;
static void where(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	(void)sig;
	if (uc->uc_mm != empty_fd || uc->uc_mcontext.eip != (uint32_t)nop_handler ||
	    (uint32_t)si->si_addr != (uint32_t)nop_handler || uc->uc_mcontext.trapno != 14)
		_exit(3);
	_exit(42);
}

static uint8_t stack[4 * SIGSTKSZ] __attribute__((aligned(PAGE)));

static int sa_mm_elsewhere(void *arg)
{
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack };
	struct sigaction_mm sa = { { .sa_sigaction = where, .sa_flags = SA_SIGINFO | SA_IN_MM | SA_ONSTACK },
	                           -1 };
	(void)arg;
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaction_mm(SIGSEGV, &sa, NULL));
	/* E: empty but for memory where our sigaltstack is, for the frame. */
	CHECK_OK(empty_fd = mm_new());
	CHECK(mm_mmap(empty_fd, stack, sizeof stack, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == stack);
	sa.sa.sa_sigaction = nop_handler;
	sa.sa_mm = empty_fd;
	CHECK_OK(sigaction_mm(SIGUSR2, &sa, NULL));
	raise(SIGUSR2);
	return 1;
}

static void test_sa_mm(void)
{
	int self;
	CHECK_OK(self = mm_self());
	struct sigaction_mm sa = { { .sa_sigaction = count_hit, .sa_flags = SA_SIGINFO | SA_IN_MM }, self };
	CHECK_OK(sigaction_mm(SIGUSR2, &sa, NULL));
	CHECK_OK(raise(SIGUSR2));               /* in our space, through its descriptor */
	CHECK_EQ(hits, 1);
	CHECK_OK(close(self));
	set_disp(SIGUSR2, SIG_DFL);
	CHECK_EQ(run_child(sa_mm_elsewhere, NULL), 42 << 8);
}

static int bad_sa_mm(void *arg)
{
	struct sigaction_mm sa = { { .sa_sigaction = nop_handler, .sa_flags = SA_SIGINFO | SA_IN_MM },
	                           (intptr_t)arg };
	set_disp(SIGSEGV, SIG_DFL);
	CHECK_OK(sigaction_mm(SIGUSR2, &sa, NULL));     /* looked up when it is delivered */
	raise(SIGUSR2);
	return 1;
}

static void test_calls(void)
{
	struct sigaction_mm sa = { { .sa_sigaction = nop_handler, .sa_flags = SA_IN_MM }, -1 }, old;
	int p[2], f, self, closed;

	CHECK_ERR(sigaction_mm(SIGUSR2, &sa, NULL), EINVAL);   /* no SA_SIGINFO */
	sa.sa.sa_flags = SA_SIGINFO | SA_IN_MM;
	CHECK_ERR(sigaction_mm(SIGKILL, &sa, NULL), EINVAL);
	sa.sa_mm = 5;
	CHECK_OK(sigaction_mm(SIGUSR2, &sa, NULL));
	CHECK_OK(sigaction_mm(SIGUSR2, NULL, &old));
	CHECK_EQ(old.sa.sa_flags, SA_SIGINFO | SA_IN_MM | SA_RESTORER);
	CHECK_EQ(old.sa_mm, 5);

	/* The raw call: 24 bytes for an SA_IN_MM action, 20 for another. */
	struct { struct kernel_sigaction k; int32_t mm, guard; } raw = { .mm = 0x1111, .guard = 0x2222 };
	CHECK_OK(syscall(__NR_rt_sigaction, SIGUSR2, NULL, &raw, 8));
	CHECK_EQ(raw.mm, 5);
	CHECK_EQ(raw.guard, 0x2222);
	struct { struct sigaction sa; int32_t guard; } plain = { .guard = 0x3333 };
	CHECK_OK(sigaction(SIGUSR2, NULL, &plain.sa));  /* our libc: no overrun */
	CHECK_EQ(plain.sa.sa_flags & SA_IN_MM, SA_IN_MM);
	CHECK_EQ(plain.guard, 0x3333);
	set_disp(SIGUSR2, SIG_DFL);
	raw.mm = 0x1111;
	CHECK_OK(syscall(__NR_rt_sigaction, SIGUSR2, NULL, &raw, 8));
	CHECK_EQ(raw.mm, 0x1111);

	/* sa_mm is read only with SA_IN_MM: an act ending at the end of a page. */
	char *pg = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pg != MAP_FAILED);
	CHECK_OK(munmap(pg + PAGE, PAGE));
	struct kernel_sigaction *edge = (void *)(pg + PAGE - sizeof *edge);
	*edge = (struct kernel_sigaction){ (void (*)(int))(void (*)(void))nop_handler, SA_SIGINFO | SA_IN_MM | SA_RESTORER,
	                                   __restore_rt, 0 };
	CHECK_ERR(syscall(__NR_rt_sigaction, SIGUSR2, edge, NULL, 8), EFAULT);
	edge->sa_flags = SA_SIGINFO | SA_RESTORER;
	CHECK_OK(syscall(__NR_rt_sigaction, SIGUSR2, edge, NULL, 8));
	CHECK_OK(munmap(pg, PAGE));
	set_disp(SIGUSR2, SIG_DFL);

	/* sa_mm naming no space: the delivery fails, SIGSEGV. */
	CHECK_OK(pipe(p));
	CHECK_EQ(run_child(bad_sa_mm, (void *)(intptr_t)p[0]), SIGSEGV);
	CHECK_EQ(run_child(bad_sa_mm, (void *)9999), SIGSEGV);

	/* sigaltmm's errors; -1 turns it off. */
	CHECK_OK(f = open("/tmp/altmm_security", O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(closed = dup(f));
	CHECK_OK(close(closed));
	CHECK_ERR(sigaltmm(p[0]), EINVAL);
	CHECK_ERR(sigaltmm(f), EINVAL);
	CHECK_ERR(sigaltmm(closed), EBADF);
	CHECK_ERR(sigaltmm(9999), EBADF);
	CHECK_ERR(sigaltmm(-2), EBADF);
	CHECK_OK(sigaltmm(-1));
	CHECK_OK(self = mm_self());
	CHECK_OK(sigaltmm(self));
	CHECK_OK(close(self));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(f));
	CHECK_OK(unlink("/tmp/altmm_security"));
}

int main(void)
{
	require_altmm();
	watchdog(20);
	test_calls();
	test_sa_mm();
	return 0;
}
