/*
 * fork, wait4/waitpid and the status word; clone with glibc's fork flags;
 * vfork.
 */
#include "check.h"
#include <sched.h>
#include <signal.h>

static void test_exit_codes(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255, 256, 257, -1 };

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();
		CHECK_OK(pid);
		if (pid == 0)
			_exit(codes[i]);
		int st = wait_status(pid);
		CHECK_EQ(st, (codes[i] & 0xff) << 8);    /* only the low byte survives */
		CHECK(WIFEXITED(st));
		CHECK(!WIFSIGNALED(st));
		CHECK_EQ(WEXITSTATUS(st), codes[i] & 0xff);
	}
	/* exit() from main's return path works the same way. */
	pid_t pid = fork();
	if (pid == 0)
		exit(9);
	CHECK_EQ(wait_status(pid), 9 << 8);
}

static void test_wnohang(void)
{
	int p[2], st = 12345;
	char c;

	CHECK_OK(pipe(p));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 7 : 8);   /* waits for EOF */
	}
	close(p[0]);
	/* The child is blocked: WNOHANG says 0 and leaves *status alone. */
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	CHECK_EQ(st, 12345);
	CHECK_EQ(waitpid(-1, &st, WNOHANG), 0);
	close(p[1]);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 7 << 8);
}

static void test_echild(void)
{
	int st;

	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);          /* no children at all */
	CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	CHECK_ERR(wait(&st), ECHILD);
	CHECK_ERR(waitpid(getppid(), &st, 0), ECHILD);   /* not our child */
	CHECK_ERR(waitpid(getpid(), &st, 0), ECHILD);

	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);         /* already reaped */
	CHECK_ERR(waitpid(-1, &st, 0x1000), EINVAL);     /* unknown option */
}

static void test_wait_any(void)
{
	pid_t pids[4];
	int seen[4] = { 0 };

	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		CHECK_OK(pids[i]);
		if (pids[i] == 0)
			_exit(10 + i);
	}
	for (int n = 0; n < 4; n++) {
		int st;
		pid_t r = wait(&st);
		int found = 0;
		for (int i = 0; i < 4; i++) {
			if (r == pids[i]) {
				CHECK_EQ(st, (10 + i) << 8);
				CHECK(!seen[i]);
				seen[i] = found = 1;
			}
		}
		CHECK(found);
	}
	CHECK_ERR(wait(NULL), ECHILD);

	/* A NULL status pointer is allowed. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	CHECK_EQ(waitpid(pid, NULL, 0), pid);
}

/* Children that die of a fault: the status word is the signal number. */
static int segv(void *arg)
{
	(void)arg;
	*(volatile int *)0 = 1;
	return 0;
}

static int ill(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
	return 0;
}

static int fpe(void *arg)
{
	int q = 1, r;
	(void)arg;
	/* In asm: GCC would turn a C division by a variable into a compare. */
	__asm__ volatile("cltd; idivl %2" : "+a"(q), "=&d"(r) : "r"(0) : "cc");
	return q;
}

static void test_signal_status(void)
{
	int st = run_child(segv, NULL);
	CHECK_EQ(st, SIGSEGV);              /* no core dump: RLIMIT_CORE is 0 */
	CHECK(WIFSIGNALED(st));
	CHECK(!WIFEXITED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	CHECK_EQ(run_child(ill, NULL), SIGILL);
	CHECK_EQ(run_child(fpe, NULL), SIGFPE);
}

/* clone as static glibc's fork() calls it. */
static void test_clone(void)
{
	volatile pid_t ptid = 0, ctid = 0;
	long flags = SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID;

	fflush(NULL);
	/* i386 order: flags, stack, parent_tid, tls, child_tid. */
	long pid = __syscall5(__NR_clone, flags, 0, &ptid, 0, &ctid);
	if (pid == 0) {
		/* Our copy of ctid holds our tid (ptid went to the parent only). */
		_exit(ctid == getpid() ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(ptid, pid);
	CHECK_EQ(ctid, 0);                  /* the child wrote its own copy */
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(ctid, 0);

	/* A plain SIGCHLD clone is fork. */
	pid = __syscall5(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(5);
	CHECK(pid > 0);
	CHECK_EQ(wait_status(pid), 5 << 8);
}

/* vfork: the child borrows our memory until it exits. */
static volatile int vfork_var;

static void test_vfork(void)
{
	vfork_var = 1;
	fflush(NULL);
	pid_t pid = vfork();
	if (pid == 0) {
		vfork_var = 42;         /* the parent is suspended and will see this */
		_exit(3);
	}
	CHECK(pid > 0);
	CHECK_EQ(vfork_var, 42);
	CHECK_EQ(wait_status(pid), 3 << 8);
}

static void test_many(void)
{
	pid_t first = 0;
	for (int i = 0; i < 50; i++) {
		pid_t pid = fork();
		CHECK_OK(pid);
		if (pid == 0)
			_exit(i);
		if (!first)
			first = pid;
		CHECK_EQ(wait_status(pid), i << 8);
	}
	/* Grandchildren: a child that forks and waits for its own child. */
	pid_t pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(getppid() == 0 ? 1 : 4);
		int st;
		_exit(waitpid(g, &st, 0) == g && st == (4 << 8) ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
}

int main(void)
{
	test_exit_codes();
	test_wnohang();
	test_echild();
	test_wait_any();
	test_signal_status();
	test_clone();
	test_vfork();
	test_many();
	return 0;
}
