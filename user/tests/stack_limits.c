/*
 * Deep recursion.  The stack grows on demand up to RLIMIT_STACK (8 MiB by
 * default), as on Linux, and a program that recurses past it dies of
 * SIGSEGV, or runs its handler on an alternate stack; the kernel, and the
 * parent, go on.  The limit is read when the stack grows, so a lower
 * limit set at run time holds at once.
 */
#include "check.h"
#include <sys/resource.h>

#define FRAME 1024

/* Recurse depth times with a FRAME-byte frame; returns depth.  Each frame
 * is read again after the call returns, so the compiler can neither drop
 * the frames nor turn the recursion into a loop. */
static long __attribute__((noinline)) recurse(long depth)
{
	volatile char frame[FRAME];
	frame[0] = (char)depth;
	frame[FRAME - 1] = 1;
	if (depth == 0)
		return 0;
	long below = recurse(depth - 1);
	return below + frame[FRAME - 1] + (frame[0] - (char)depth);
}

/* In a child: recurse through `bytes` of stack (limit: RLIMIT_STACK soft
 * limit to set first, 0 to leave it); its status word. */
static int child_recurse(long bytes, long limit)
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		if (limit) {
			struct rlimit r = { limit, RLIM_INFINITY };
			if (setrlimit(RLIMIT_STACK, &r))
				_exit(90);
		}
		long depth = bytes / FRAME;
		_exit(recurse(depth) == depth ? 0 : 91);
	}
	return wait_status(pid);
}

static volatile int caught;
static void on_segv(int sig)
{
	(void)sig;
	_exit(caught = 42);
}

int main(void)
{
	struct rlimit r;
	CHECK_OK(getrlimit(RLIMIT_STACK, &r));
	CHECK_EQ(r.rlim_cur, 8 << 20);

	/* Within the limit: 6 MiB of frames, grown page by page. */
	CHECK_EQ(child_recurse(6 << 20, 0), 0);
	/* Past it: SIGSEGV, nothing else. */
	int status = child_recurse(64 << 20, 0);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGSEGV);

	/* A limit lowered at run time: 1 MiB.  512 KiB fits, 2 MiB does not. */
	CHECK_EQ(child_recurse(512 << 10, 1 << 20), 0);
	status = child_recurse(2 << 20, 1 << 20);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGSEGV);

	/* With a SIGSEGV handler on an alternate stack, the handler runs. */
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		static char alt[16384];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
		CHECK_OK(sigaltstack(&ss, NULL));
		struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_ONSTACK };
		CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
		recurse(64 << 10);              /* 64 MiB of frames */
		_exit(1);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 42);

	/* Without an alternate stack the handler has no stack to run on:
	 * the kernel kills the process with SIGSEGV, as Linux does. */
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_segv };
		CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
		recurse(64 << 10);
		_exit(1);
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGSEGV);
	return 0;
}
