/*
 * How long address spaces live, and who holds them:
 *
 *   - the frame names the space to return to by descriptor: a handler
 *     that closes the guest's last descriptor cannot return into it;
 *     rt_sigreturn refuses the frame with SIGSEGV (SI_KERNEL) and nothing
 *     changes: the thread is still home, just after the int $0x80 of
 *     __restore_rt, and the space is gone (no leak).  A dup of the
 *     descriptor works as well as the original, and the next frame names
 *     the dup.  (With no threads, the descriptor of the space a thread is
 *     running in can only be closed from home, in a handler.)
 *   - a process that exits, or is killed, while in a guest space dies
 *     cleanly; the space, which the parent still holds, is intact;
 *   - fork: inherited mm descriptors name the same spaces (a mapping made
 *     by the child is there for the parent), an inherited /proc/self/mm
 *     descriptor names the parent's space, the child's own is its own,
 *     and sigaltmm naming the parent's home names the child's home;
 *   - execve: SA_IN_MM handlers are reset, sigaltmm is cleared (even one
 *     naming a foreign space), O_CLOEXEC mm descriptors are closed and
 *     the others kept;
 *   - a thousand spaces, used and closed, leave no memory behind.
 */
#include "altmm_guest.h"
#include <sys/stat.h>

__asm__(GUEST_MACROS GUEST_COMMON);

static struct guest g;
static int mode, dupfd;
static volatile int hits;
enum { CLOSE_AND_RETURN, CLOSE_AND_CATCH, USE_DUP, EXIT_IN_HANDLER, GO_HOME };

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	if (mode == CLOSE_AND_CATCH && sig == SIGSEGV) {
		/* The refused rt_sigreturn: we are where it left us. */
		if (si->si_code != SI_KERNEL || uc->uc_mm != -1 ||
		    uc->uc_mcontext.eip != (uint32_t)__restore_rt + 7)
			_exit(3);
		_exit(42);
	}
	CHECK_EQ(sig, SIGSYS);
	switch (mode) {
	case CLOSE_AND_RETURN:
	case CLOSE_AND_CATCH:
		CHECK_OK(close(g.mm));          /* the frame still says g.mm */
		break;
	case USE_DUP:
		CHECK_EQ(uc->uc_mm, g.mm);
		CHECK_OK(close(g.mm));
		uc->uc_mm = dupfd;
		mode = GO_HOME;
		break;
	case EXIT_IN_HANDLER:
		_exit(7);
	case GO_HOME:
		go_home(uc);
		break;
	}
}

static int close_child(void *arg)
{
	mode = (intptr_t)arg;
	if (mode == CLOSE_AND_RETURN)
		set_disp(SIGSEGV, SIG_DFL);
	guest_run(&g, GC(gc_sys), NULL);
	return 1;                               /* never: SIGSEGV comes first */
}

static void test_close(void)
{
	guest_new(&g, gc_start, gc_end - gc_start);
	CHECK_EQ(run_child(close_child, (void *)CLOSE_AND_RETURN), SIGSEGV);
	CHECK_EQ(run_child(close_child, (void *)CLOSE_AND_CATCH), 42 << 8);
	CHECK_EQ(run_child(close_child, (void *)EXIT_IN_HANDLER), 7 << 8);

	/* Through a dup: the guest goes on, and the next frame names the dup. */
	CHECK_OK(dupfd = dup(g.mm));
	mode = USE_DUP;
	ntraps = 0;
	guest_run(&g, GC(gc_sys), NULL);
	CHECK_EQ(ntraps, 2);
	CHECK_EQ(traps[1].mm, dupfd);
	CHECK_EQ(traps[1].sc.eip, GC(gc_sys) + 2);
	g.mm = dupfd;
	guest_free(&g);
}

/* Killed while spinning in the guest: dies of the signal, leaves the space whole. */
static void test_killed(void)
{
	guest_new(&g, gc_start, gc_end - gc_start);
	mode = GO_HOME;
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		guest_run(&g, GC(gc_spin), NULL);
		_exit(1);
	}
	while (!g.data[W_SPINNING / 4])
		sleep_ms(5);
	uint32_t count = g.data[W_COUNT / 4];
	for (int i = 0; i < 1000 && g.data[W_COUNT / 4] == count; i++)
		sleep_ms(10);                   /* as long as it takes, however busy the machine */
	CHECK(g.data[W_COUNT / 4] != count);    /* it is spinning there */
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_EQ(wait_status(pid), SIGKILL);
	/* The space is ours too and still works: run the same spin here. */
	g.data[W_SPINNING / 4] = 0;
	g.data[W_RELEASE / 4] = 1;
	ntraps = 0;
	guest_run(&g, GC(gc_spin), NULL);
	CHECK_EQ(ntraps, 1);
	CHECK_EQ(traps[0].si.si_syscall, 7);
	guest_free(&g);
}

static void count_hit(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	CHECK_EQ(((struct altmm_ucontext *)uc)->uc_mm, -1);
	hits++;
}

static void test_fork(void)
{
	int self;
	pid_t pid;

	guest_new(&g, gc_start, gc_end - gc_start);
	CHECK_OK(self = mm_self());
	char *y = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(y != MAP_FAILED);
	CHECK_OK(munmap(y, PAGE));              /* free here, in the parent */
	catch_mm(SIGUSR2, count_hit, 0);
	hits = 0;
	*(uint32_t *)(g.mem + 2 * PAGE + 0x10) = 0xabcd1234;

	CHECK_OK(pid = fork());
	if (pid == 0) {
		/* Our g.mm is the parent's guest space: map memfd page 2 into it. */
		CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)0x30000000, PAGE, PROT_READ,
		                           MAP_SHARED | MAP_FIXED, g.memfd, 2), 0x30000000);
		/* The inherited /proc/self/mm descriptor is the parent's space. */
		CHECK(mm_mmap(self, y, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		              MAP_FIXED, -1, 0) == y);
		set_disp(SIGSEGV, SIG_DFL);             /* for probe(), which forks us */
		CHECK_EQ(probe(y, 0), SIGSEGV);        /* not in ours */
		catch_mm(SIGSEGV, trap_handler, SA_ONSTACK);
		/* Our own /proc/self/mm is ours. */
		int own;
		CHECK_OK(own = mm_self());
		char *z = mm_mmap(own, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(z != MAP_FAILED);
		z[0] = 5;
		/* sigaltmm named the parent's home, so it names ours: handlers run here. */
		CHECK_OK(raise(SIGUSR2));
		CHECK_EQ(hits, 1);
		mode = GO_HOME;
		guest_run(&g, GC(gc_push), NULL);
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(hits, 0);
	y[100] = 1;                             /* the child mapped it for us */
	CHECK_OK(munmap(y, PAGE));
	CHECK(mm_mmap(g.mm, (void *)0x30000000, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE,
	              g.memfd, 2) == MAP_FAILED);
	CHECK_EQ(errno, EEXIST);
	/* And the guest sees the page the child mapped: gc_read reports it. */
	mode = GO_HOME;
	ntraps = 0;
	const uint32_t r[7] = { 0, 0x30000010 };
	guest_run(&g, GC(gc_read), r);
	CHECK_EQ(ntraps, 1);
	CHECK_EQ(traps[0].si.si_syscall, (int)0xabcd1234);
	CHECK_OK(close(self));
	guest_free(&g);
}

/* After execve (argv[1] = "exec", argv[2] = a kept fd, argv[3] = a CLOEXEC one). */
static int after_exec(char **argv)
{
	struct sigaction_mm old;
	struct stat64 st;
	int kept = atoi(argv[2]), gone = atoi(argv[3]);

	for (int sig = 1; sig <= 31; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		CHECK_OK(sigaction_mm(sig, NULL, &old));
		CHECK(old.sa.sa_handler == SIG_DFL);
		CHECK_EQ(old.sa.sa_flags, 0);
		CHECK_EQ(old.sa_mm, -1);
	}
	CHECK_ERR(fcntl(gone, F_GETFD), EBADF);
	CHECK_OK(fstat(kept, &st));
	CHECK_EQ(st.st_dev, ALTMM_DEV);
	CHECK_EQ((uint32_t)mm_mmap(kept, (void *)0x40000000, PAGE, PROT_READ,
	                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), 0x40000000);
	/* sigaltmm named an empty space before the exec: cleared, our handler
	 * runs at home (in that space it would have faulted). */
	catch_mm(SIGUSR2, count_hit, 0);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(hits, 1);
	return 0;
}

static void test_exec(void)
{
	int kept, gone, empty;
	char a[16], b[16];

	CHECK_OK(kept = open(ALTMM_NEW_MM_PATH, O_RDWR));
	CHECK_OK(gone = mm_new());
	snprintf(a, sizeof a, "%d", kept);
	snprintf(b, sizeof b, "%d", gone);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char *argv[] = { "altmm_lifetime", "exec", a, b, NULL };
		CHECK_OK(empty = mm_new());
		CHECK_OK(sigaltmm(empty));
		CHECK_OK(close(empty));
		execve("/proc/self/exe", argv, environ);
		_exit(2);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(close(kept));
	CHECK_OK(close(gone));
}

/* A thousand spaces, each entered once (a stack page and its page table). */
static void test_thousand(void)
{
	int first = -1;
	long before = 0;

	mode = GO_HOME;
	for (int i = -10; i < 1000; i++) {
		if (i == 0)
			before = mem_free_kb();
		guest_new(&g, gc_start, gc_end - gc_start);
		if (first < 0)
			first = g.mm;
		CHECK_EQ(g.mm, first);                  /* no descriptor left behind */
		guest_run(&g, GC(gc_push), NULL);
		guest_free(&g);
	}
	CHECK_EQ(mem_free_kb(), before);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec"))
		return after_exec(argv);
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	test_close();
	test_killed();
	test_fork();
	test_exec();
	test_thousand();
	kicker_stop(dog);
	return 0;
}
