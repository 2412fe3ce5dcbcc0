/*
 * Signals without SA_IN_MM handlers while a thread runs in a guest space:
 *
 *   - a caught signal whose handler lacks SA_IN_MM waits until the thread
 *     is home again: SIGUSR2 sent while the guest spins is delivered only
 *     after the guest's next SIGSYS has gone home, in an ordinary rt
 *     frame (no UC_ALTMM) at a home address; the guest is not disturbed,
 *     and SIGHUP, sent after it but with an SA_IN_MM handler, comes at
 *     once, with the guest's registers and uc_mm;
 *   - default actions act at once: SIGTERM and SIGALRM kill, SIGSTOP
 *     stops (the guest stops counting) and SIGCONT resumes it, SIGWINCH
 *     is ignored;
 *   - a synchronous trap (int $0x80, ud2, a division by zero, a fault)
 *     with no SA_IN_MM handler for its signal kills the process with that
 *     signal, whether the signal is at its default, caught by an ordinary
 *     handler, ignored or blocked;
 *   - the frame of an SA_IN_MM handler for a trap from a guest goes on the
 *     sigaltstack even without SA_ONSTACK; with no sigaltstack at all it
 *     cannot be built: SIGSEGV.
 */
#include "altmm_guest.h"

__asm__(GUEST_MACROS GUEST_COMMON);

static struct guest g;
static volatile int usr2_hits, usr2_after_traps;
static volatile uint32_t usr2_flags, usr2_eip;

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	(void)si;
	if (sig == SIGHUP) {            /* an SA_IN_MM handler: comes at once */
		g.data[W_RELEASE / 4] = 1;
		return;                 /* into the guest again */
	}
	go_home(uc);
}

static void usr2(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig, (void)si;
	usr2_hits++;
	usr2_after_traps = ntraps;
	usr2_flags = uc->uc_flags;
	usr2_eip = uc->uc_mcontext.eip;
}

/* Wait until the guest spins (whoever runs it), return its count. */
static uint32_t wait_spinning(void)
{
	for (int i = 0; i < 2000 && !g.data[W_SPINNING / 4]; i++)
		sleep_ms(5);
	CHECK(g.data[W_SPINNING / 4]);
	return g.data[W_COUNT / 4];
}

/* Does the guest count on?  Yes as soon as it has counted once more
 * (waiting as long as that takes, up to 10 s, however busy the machine). */
static int still_counting(void)
{
	uint32_t c = g.data[W_COUNT / 4];
	for (int i = 0; i < 1000; i++) {
		if (g.data[W_COUNT / 4] != c)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

/* A stopped guest counts no more: over 30 ms (a kernel that let it run
 * would be caught almost always; a correct one never fails this). */
static int stopped_counting(void)
{
	uint32_t c = g.data[W_COUNT / 4];
	sleep_ms(30);
	return g.data[W_COUNT / 4] == c;
}

/* The trap handlers of test_deferred block SIGUSR2 while they run: they
 * run at home, where SIGUSR2 may be delivered, and a timer tick during
 * the SIGHUP handler would otherwise let it in there, before the SIGSYS
 * (how often depends on the machine's speed). */
static void mask_usr2_in_traps(int on)
{
	for (int sig = SIGHUP;; sig = SIGSYS) {
		struct sigaction_mm sa;
		CHECK_OK(sigaction_mm(sig, NULL, &sa));
		if (on)
			sigaddset(&sa.sa.sa_mask, SIGUSR2);
		else
			sigdelset(&sa.sa.sa_mask, SIGUSR2);
		CHECK_OK(sigaction_mm(sig, &sa, NULL));
		if (sig == SIGSYS)
			break;
	}
}

static void test_deferred(void)
{
	catch_info(SIGUSR2, usr2, 0);
	mask_usr2_in_traps(1);
	g.data[W_SPINNING / 4] = 0;
	pid_t parent = getpid(), pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {                 /* the sender: we are busy in the guest */
		alarm(30);
		wait_spinning();
		if (kill(parent, SIGUSR2) < 0 || !still_counting() || kill(parent, SIGHUP) < 0)
			_exit(1);
		_exit(0);
	}
	guest_run(&g, GC(gc_spin), NULL);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(ntraps, 2);
	CHECK_EQ(traps[0].sig, SIGHUP);         /* delivered to us, from the guest */
	CHECK_EQ(traps[0].si.si_code, SI_USER);
	CHECK_EQ(traps[0].si.si_pid, pid);
	CHECK_EQ(traps[0].mm, g.mm);
	CHECK(traps[0].sc.eip >= GC(gc_spin) && traps[0].sc.eip < GC(gc_push));
	CHECK_EQ(traps[1].si.si_syscall, 7);
	CHECK_EQ(usr2_hits, 1);
	CHECK_EQ(usr2_after_traps, 2);          /* only after the SIGSYS went home */
	CHECK_EQ(usr2_flags & UC_ALTMM, 0);
	CHECK(usr2_eip < G_CODE || usr2_eip >= G_CODE + PAGE);
	set_disp(SIGUSR2, SIG_DFL);
	mask_usr2_in_traps(0);
}

/* A child that spins in the guest until something happens to it, with
 * sig (if not 0) at its default action. */
static pid_t spinner(int sig)
{
	g.data[W_SPINNING / 4] = 0;
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		if (sig)
			set_disp(sig, SIG_DFL);
		alarm(30);
		guest_run(&g, GC(gc_spin), NULL);
		_exit(0);                       /* released */
	}
	wait_spinning();
	return pid;
}

static void test_default_actions(void)
{
	pid_t pid = spinner(0);
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_EQ(wait_status(pid), SIGTERM);

	pid = spinner(0);
	CHECK_OK(kill(pid, SIGWINCH));          /* ignored by default */
	CHECK(still_counting());
	CHECK_OK(kill(pid, SIGSTOP));
	int st;
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK(stopped_counting());
	CHECK_OK(kill(pid, SIGCONT));
	CHECK(still_counting());
	g.data[W_RELEASE / 4] = 1;
	CHECK_EQ(wait_status(pid), 0);

	pid = spinner(SIGALRM);                 /* alarm(30) with no handler... */
	CHECK_OK(kill(pid, SIGALRM));           /* ...as if it had run out */
	CHECK_EQ(wait_status(pid), SIGALRM);
}

/* In a child: how the trap at eip is set up; the child must die of it. */
enum { DEFAULT, PLAIN_HANDLER, IGNORED, BLOCKED, NO_ALTSTACK, NOT_ONSTACK };

static int trap_child(void *arg)
{
	int how = (intptr_t)arg >> 8, sig = (intptr_t)arg & 0xff;
	uint32_t eip = sig == SIGSYS ? GC(gc_sys) : sig == SIGILL ? GC(gc_ud2) :
	               sig == SIGFPE ? GC(gc_div0) : GC(gc_read);
	stack_t off = { .ss_flags = SS_DISABLE };

	switch (how) {
	case DEFAULT:       set_disp(sig, SIG_DFL); break;
	case PLAIN_HANDLER: catch_info(sig, usr2, 0); break;
	case IGNORED:       set_disp(sig, SIG_IGN); break;
	case BLOCKED:       set_mask(sigmask(sig)); break;         /* the guest's mask */
	case NO_ALTSTACK:   CHECK_OK(sigaltstack(&off, NULL)); break;
	case NOT_ONSTACK:   catch_mm(sig, trap_handler, 0); break;
	}
	guest_run(&g, eip, NULL);               /* gc_read reads address 0 */
	if (how == NOT_ONSTACK && traps[0].sig == sig && in_altstack(traps[0].frame))
		return 0;
	return 1;
}

static void test_traps(void)
{
	static const int sigs[] = { SIGSYS, SIGILL, SIGFPE, SIGSEGV };
	for (int i = 0; i < 4; i++) {
		int s = sigs[i];
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(DEFAULT << 8 | s)), s);
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(PLAIN_HANDLER << 8 | s)), s);
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(IGNORED << 8 | s)), s);
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(BLOCKED << 8 | s)), s);
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(NO_ALTSTACK << 8 | s)), SIGSEGV);
		CHECK_EQ(run_child(trap_child, (void *)(intptr_t)(NOT_ONSTACK << 8 | s)), 0);
	}
}

int main(void)
{
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	guest_new(&g, gc_start, gc_end - gc_start);
	test_deferred();
	test_default_actions();
	test_traps();
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
