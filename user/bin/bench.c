/*
 * bench: how many instructions the kernel's basic paths take.
 *
 * Run under QEMU with -icount shift=0 (tools/bench.py does), where the
 * time-stamp counter advances by exactly one per instruction executed:
 * rdtsc deltas are then instruction counts, identical from run to run.
 * (On real hardware or without icount the numbers are cycles and vary.)
 *
 * Each benchmark runs ROUNDS times; the cost of the measuring loop itself
 * is measured the same way and subtracted.  Output, one line each:
 *     bench NAME: N instructions
 * The same binary runs on Linux, for comparison.  As pid 1 (the way
 * tools/bench.py starts it) it powers the machine off at the end.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/unistd.h>

#define ROUNDS 200

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The system call itself, without any C library code around it. */
static inline long raw_syscall0(long nr)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static inline long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static int self_pid;
static char *pages;
static int round_no;
static int ping[2], pong[2];

static void op_nothing(void) { __asm__ volatile("" ::: "memory"); }
static void op_null_syscall(void) { raw_syscall0(__NR_getppid); }
static void op_signal(void) { raw_syscall3(__NR_tgkill, self_pid, self_pid, SIGUSR1); }
static void op_page_fault(void) { pages[(size_t)round_no * 4096] = 1; }

static void op_fork_exit_wait(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
}

static void op_pipe_round_trip(void)
{
	char c = 'x';
	write(ping[1], &c, 1);
	read(pong[0], &c, 1);
}

static void empty_handler(int sig) { (void)sig; }

/* Instructions per call of op, loop overhead not included. */
static uint64_t measure(void (*op)(void))
{
	uint64_t start = rdtsc();
	for (round_no = 0; round_no < ROUNDS; round_no++)
		op();
	return rdtsc() - start;
}

static void report(const char *name, void (*op)(void), uint64_t overhead)
{
	uint64_t total = measure(op);
	printf("bench %s: %llu instructions\n", name,
	       (unsigned long long)((total > overhead ? total - overhead : 0) / ROUNDS));
	fflush(stdout);
}

int main(void)
{
	self_pid = getpid();
	uint64_t overhead = measure(op_nothing);

	report("null_syscall", op_null_syscall, overhead);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = empty_handler;
	sigaction(SIGUSR1, &sa, NULL);
	report("signal_round_trip", op_signal, overhead);

	pages = mmap(NULL, (size_t)ROUNDS * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages != MAP_FAILED)
		report("page_fault", op_page_fault, overhead);

	report("fork_exit_wait", op_fork_exit_wait, overhead);

	if (pipe(ping) == 0 && pipe(pong) == 0) {
		pid_t echo = fork();
		if (echo == 0) {	/* the other end: send every byte back */
			char c;
			close(ping[1]);	/* so that the parent's close is our end of file */
			close(pong[0]);
			while (read(ping[0], &c, 1) == 1)
				write(pong[1], &c, 1);
			_exit(0);
		}
		report("pipe_round_trip", op_pipe_round_trip, overhead);
		close(ping[1]);
		waitpid(echo, NULL, 0);
	}

	if (getpid() == 1)
		reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
