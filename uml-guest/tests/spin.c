/*
 * guesttest-spin: a process that never yields does not stop the others.
 *
 * The spinner blocks every signal it can and then spins on a word of
 * shared memory, making no system call at all, until that word says
 * "done".  The worker waits (yielding) until the spinner has started, so
 * that from then on the spinner has the CPU unless the guest takes it
 * away; then it writes its result down a pipe and sets "done".  So the
 * spinner can only finish after the worker did, and the worker can only
 * run again while the spinner spins if the guest preempts it: that both
 * finish is the proof, with no clock involved.  (If the guest never
 * preempted, nothing would finish: the suite's timeout says so.)
 *
 * Exits 0 when the parent got the worker's result and both children
 * exited 0.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "guesttest.h"

struct shared {
	volatile uint32_t started, done;
	volatile uint32_t spins;                /* the spinner's count, for the record */
};

static struct shared *sh;

static void spinner(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	sh->started = 1;
	while (!sh->done)
		sh->spins++;
	_exit(0);
}

static void worker(int fd)
{
	while (!sh->started)
		sched_yield();
	uint32_t result = 6 * 7;
	if (write(fd, &result, sizeof result) != sizeof result)
		_exit(3);
	sh->done = 1;
	_exit(0);
}

int main(void)
{
	in_guest_or_exit("guesttest-spin");
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("spin: no shared memory\n");
		return 1;
	}
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t s = fork();
	if (s == 0)
		spinner();
	pid_t w = fork();
	if (w == 0)
		worker(p[1]);
	close(p[1]);
	uint32_t result = 0;
	int got = read(p[0], &result, sizeof result) == sizeof result && result == 42;
	int ws, ss;
	int ok = waitpid(w, &ws, 0) == w && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 &&
	         waitpid(s, &ss, 0) == s && WIFEXITED(ss) && WEXITSTATUS(ss) == 0;
	printf("spin: the worker ran while the spinner spun: %s\n", got && ok ? "ok" : "FAILED");
	return got && ok ? 0 : 1;
}
