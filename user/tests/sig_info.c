/*
 * What an SA_SIGINFO handler is told: siginfo_t for kill (SI_USER),
 * tgkill and tkill (SI_TKILL), a timer (SI_KERNEL), a fault (SEGV_MAPERR
 * and the address), and the same information through sigtimedwait.
 */
#include "sigcheck.h"

static volatile int got_n, got_sig;
static siginfo_t got;
static ucontext_t got_uc;
static void *got_ucp;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got_n++;
	got_sig = sig;
	got = *si;
	got_ucp = uc;
	got_uc = *(ucontext_t *)uc;
}

/* Everything after si_uid is zero for kill-like signals (no stack leaks). */
static int rest_is_zero(const siginfo_t *si, size_t from)
{
	const unsigned char *b = (const unsigned char *)si;
	for (size_t i = from; i < sizeof(*si); i++)
		if (b[i])
			return 0;
	return 1;
}

static void test_kill(void)
{
	catch_info(SIGUSR1, handler, 0);
	got_n = 0;
	memset(&got, 0x77, sizeof(got));
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got.si_signo, SIGUSR1);
	CHECK_EQ(got.si_errno, 0);
	CHECK_EQ(got.si_code, SI_USER);
	CHECK_EQ(got.si_pid, getpid());
	CHECK_EQ(got.si_uid, getuid());
	CHECK(rest_is_zero(&got, 20));
	CHECK(got_ucp != NULL);
	CHECK_EQ(got_uc.uc_sigmask, 0);         /* the mask before the handler */

	/* From another process: its pid. */
	set_mask(sigmask(SIGUSR1));
	pid_t pid = fork();
	if (pid == 0)
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	CHECK_EQ(wait_status(pid), 0);
	got_n = 0;
	set_mask(0);
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_code, SI_USER);
	CHECK_EQ(got.si_pid, pid);
}

static void test_tkill(void)
{
	catch_info(SIGUSR2, handler, 0);
	got_n = 0;
	CHECK_OK(tgkill(getpid(), gettid(), SIGUSR2));
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_signo, SIGUSR2);
	CHECK_EQ(got.si_code, SI_TKILL);
	CHECK_EQ(got.si_pid, getpid());
	CHECK_EQ(got.si_uid, getuid());
	CHECK(rest_is_zero(&got, 20));

	CHECK_OK(tkill(gettid(), SIGUSR2));
	CHECK_EQ(got_n, 2);
	CHECK_EQ(got.si_code, SI_TKILL);
	CHECK_EQ(got.si_pid, getpid());

	CHECK_OK(raise(SIGUSR2));               /* our raise is tgkill */
	CHECK_EQ(got_n, 3);
	CHECK_EQ(got.si_code, SI_TKILL);
}

/* A timer's signal comes from the kernel: SI_KERNEL, no pid. */
static void test_timer(void)
{
	catch_info(SIGALRM, handler, 0);
	got_n = 0;
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	wait_for_signals(&got_n, 1, SIGALRM);
	CHECK_EQ(got.si_signo, SIGALRM);
	CHECK_EQ(got.si_code, SI_KERNEL);
	CHECK_EQ(got.si_pid, 0);
	CHECK_EQ(got.si_uid, 0);
	watchdog(20);
}

/*
 * int probe_load(const int *p): returns *p, or -1 if the load faulted
 * (the handler moves eip from probe_load_insn to probe_load_done).
 */
int probe_load(const volatile int *p);
extern char probe_load_insn[], probe_load_done[];
__asm__(".text\n"
	".globl probe_load\n"
	"probe_load:\n"
	"	movl 4(%esp), %ecx\n"
	".globl probe_load_insn\n"
	"probe_load_insn:\n"
	"	movl (%ecx), %eax\n"
	".globl probe_load_done\n"
	"probe_load_done:\n"
	"	ret\n");

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	handler(sig, si, ucv);
	if (uc->uc_mcontext.eip == (uint32_t)probe_load_insn) {
		uc->uc_mcontext.eip = (uint32_t)probe_load_done;
		uc->uc_mcontext.eax = (uint32_t)-1;
	}
}

static void test_fault(void)
{
	catch_info(SIGSEGV, fault_handler, 0);
	got_n = 0;
	CHECK_EQ(probe_load((int *)64), -1);
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_signo, SIGSEGV);
	CHECK_EQ(got.si_errno, 0);
	CHECK_EQ(got.si_code, SEGV_MAPERR);
	CHECK(got.si_addr == (void *)64);
	CHECK_EQ(got_uc.uc_mcontext.eip, (uint32_t)probe_load_insn);
	int x = 1234;
	CHECK_EQ(probe_load(&x), 1234);
	CHECK_EQ(got_n, 1);
	set_disp(SIGSEGV, SIG_DFL);
}

static void test_sigtimedwait(void)
{
	siginfo_t si;
	struct timespec zero = { 0, 0 }, short_wait = { 0, 50000000 };
	sigset_t set = sigmask(SIGUSR1) | sigmask(SIGUSR2);

	set_mask(set);
	errno = 0;
	if (sigtimedwait(&set, &si, &zero) < 0 && errno == ENOSYS && on_our_kernel()) {
		printf("rt_sigtimedwait not implemented: part skipped\n");
		set_mask(0);
		return;
	}
	CHECK_EQ(errno, EAGAIN);                /* nothing pending, no wait */
	long long t0 = now_ms();
	CHECK_ERR(sigtimedwait(&set, &si, &short_wait), EAGAIN);
	CHECK(now_ms() - t0 >= 49);

	got_n = 0;
	CHECK_OK(kill(getpid(), SIGUSR2));
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sigtimedwait(&set, &si, &zero), SIGUSR2);
	CHECK_EQ(si.si_signo, SIGUSR2);
	CHECK_EQ(si.si_code, SI_USER);
	CHECK_EQ(si.si_pid, getpid());
	CHECK_EQ(got_n, 0);                     /* taken, not delivered */
	sigset_t p;
	CHECK_OK(sigpending(&p));
	CHECK_EQ(p, 0);

	/* Waiting takes a signal that arrives during the wait. */
	pid_t k = kicker_start(getpid(), SIGUSR1, 20);
	CHECK_EQ(sigwaitinfo(&set, &si), SIGUSR1);
	CHECK_EQ(si.si_pid, k);
	kicker_stop(k);
	while (sigtimedwait(&set, &si, &zero) > 0)
		;
	CHECK_ERR(sigtimedwait(&set, &si, &(struct timespec){ 0, 1000000000 }), EINVAL);
	set_mask(0);
	CHECK_EQ(got_n, 0);
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_kill();
	test_tkill();
	test_timer();
	test_fault();
	test_sigtimedwait();
	return 0;
}
