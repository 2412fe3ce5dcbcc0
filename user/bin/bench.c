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
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/altmm.h>
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

static inline long raw_syscall4(long nr, long a, long b, long c, long d)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
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

/* The same four calls a round trip makes, with no other process: a byte
 * through a pipe of our own, twice.  What the round trip costs beyond
 * this is its two context switches (lmbench's lat_ctx, one size 0). */
static int selfpipe[2];
static void op_pipe_self_twice(void)
{
	char c = 'x';
	for (int i = 0; i < 2; i++) {
		write(selfpipe[1], &c, 1);
		read(selfpipe[0], &c, 1);
	}
}

static void empty_handler(int sig) { (void)sig; }

/* A fixed mix of system calls and computing, as a small program's life
 * might be: a workload to compare whole, natively and inside the guest. */
static int devnull = -1;
static volatile uint32_t mix_sink;
static void op_mix(void)
{
	static char buf[256];
	for (int i = 0; i < 8; i++) {
		raw_syscall0(__NR_getppid);
		write(devnull, buf, sizeof buf);
		uint32_t h = (uint32_t)i;
		for (int j = 0; j < 300; j++)	/* some arithmetic between the calls */
			h = h * 2654435761u + (uint32_t)j;
		mix_sink = h;
	}
	void *p = sbrk(4096);	/* and some memory: a page to touch and give back */
	if (p != (void *)-1) {
		((volatile char *)p)[0] = 1;
		sbrk(-4096);
	}
}

/* ---- altmm: a guest space whose code only traps --------------------------- */

#define GUEST_BASE 0x10000000u
#define GUEST_CALL 4242		/* the guest's "system call": answered by the host */
#define GUEST_HOME 4243		/* the guest asks to go home */

/* Guest code (copied into a memfd mapped in the guest space): ecx rounds of
 * int $0x80, then one more asking to go home.  A second entry makes a load
 * from an unmapped address ecx times (the host skips the 2-byte load). */
extern char guest_code[], guest_code_end[], guest_fault_entry[];
__asm__(".text\n"
	"guest_code:\n"
	"1:	movl $4242, %eax\n"
	"	int $0x80\n"
	"	decl %ecx\n"
	"	jnz 1b\n"
	"	movl $4243, %eax\n"
	"	int $0x80\n"
	"guest_fault_entry:\n"
	"2:	movl (%ebx), %eax\n"		/* 8b 03: faults, skipped by the host */
	"	decl %ecx\n"
	"	jnz 2b\n"
	"	movl $4243, %eax\n"
	"	int $0x80\n"
	"guest_code_end:\n");

static inline long raw_syscall2(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}

static int guest_mm = -1;
static uint32_t guest_entry;
static struct sigcontext home;	/* where the guest's "go home" returns to */
static char altstack[16384];

/* One SA_IN_MM handler for all: SIGUSR2 enters the guest, SIGSYS answers
 * it, SIGSEGV skips its faulting load. */
static void altmm_handler(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	struct sigcontext *sc = &uc->uc_mcontext;
	if (sig == SIGUSR2) {
		home = *sc;
		sc->eip = guest_entry;
		sc->esp = GUEST_BASE + 8192;
		sc->ecx = ROUNDS;
		sc->ebx = GUEST_BASE + 0x100000;	/* nothing mapped there */
		uc->uc_mm = guest_mm;
	} else if (sig == SIGSYS && si->si_syscall == GUEST_HOME) {
		*sc = home;
		uc->uc_mm = -1;
	} else if (sig == SIGSEGV) {
		sc->eip += 2;
	} else if (sig == SIGUSR1) {
		/* an SA_IN_MM handler called at home: nothing to switch */
	} else {
		sc->eax = 0;	/* GUEST_CALL: the answer */
	}
}

static int guest_setup(void)
{
	guest_mm = open("/proc/new-mm", O_RDWR);
	int self = open("/proc/self/mm", O_RDWR);
	int mem = raw_syscall2(__NR_memfd_create, (long)"guest", 0);
	if (guest_mm < 0 || self < 0 || mem < 0 || ftruncate(mem, 8192) < 0 ||
	    write(mem, guest_code, guest_code_end - guest_code) < 0)
		return -1;
	struct mm_mmap_args a = { GUEST_BASE, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
				  MAP_SHARED | MAP_FIXED, mem, 0 };
	if (raw_syscall2(__NR_mm_mmap, guest_mm, (long)&a) != (long)GUEST_BASE ||
	    raw_syscall2(__NR_sigaltmm, self, 0) < 0)
		return -1;
	stack_t ss = { altstack, 0, sizeof altstack };
	sigaltstack(&ss, NULL);
	struct sigaction probe;
	memset(&probe, 0, sizeof probe);
	probe.sa_sigaction = altmm_handler;
	probe.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &probe, NULL);	/* our libc fills in its restorer */
	sigaction(SIGSYS, NULL, &probe);
	struct kernel_sigaction_mm ka;
	memset(&ka, 0, sizeof ka);
	ka.sa.sa_handler = (void (*)(int))(void (*)(void))altmm_handler;
	ka.sa.sa_flags = SA_SIGINFO | SA_IN_MM | SA_ONSTACK | SA_RESTORER;
	ka.sa.sa_restorer = probe.sa_restorer;
	ka.sa_mm = -1;
	int sigs[] = { SIGSYS, SIGSEGV, SIGUSR2, SIGUSR1 };
	for (int i = 0; i < 4; i++)
		if (raw_syscall4(__NR_rt_sigaction, sigs[i], (long)&ka, 0, 8) < 0)
			return -1;
	return 0;
}

/* ROUNDS guest traps per entry: report the cost of one, with the entry
 * and the way home spread over them. */
static void report_guest(const char *name, uint32_t entry)
{
	guest_entry = entry;
	uint64_t start = rdtsc();
	raw_syscall3(__NR_tgkill, self_pid, self_pid, SIGUSR2);
	uint64_t total = rdtsc() - start;
	printf("bench %s: %llu instructions\n", name, (unsigned long long)(total / ROUNDS));
	fflush(stdout);
}

/* Instructions per call of op, loop overhead not included. */
static uint64_t measure(void (*op)(void))
{
	uint64_t start = rdtsc();
	for (round_no = 0; round_no < ROUNDS; round_no++)
		op();
	return rdtsc() - start;
}

static void print_per_op(const char *name, uint64_t total, uint64_t overhead)
{
	printf("bench %s: %llu instructions\n", name,
	       (unsigned long long)((total > overhead ? total - overhead : 0) / ROUNDS));
	fflush(stdout);
}

static void report(const char *name, void (*op)(void), uint64_t overhead)
{
	print_per_op(name, measure(op), overhead);
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

	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0)
		report("workload_mix", op_mix, overhead);

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
		uint64_t trips = measure(op_pipe_round_trip);
		close(ping[1]);
		waitpid(echo, NULL, 0);
		print_per_op("pipe_round_trip", trips, overhead);
		if (pipe(selfpipe) == 0) {
			uint64_t alone = measure(op_pipe_self_twice);
			print_per_op("context_switch", trips > alone ? (trips - alone) / 2 : 0, 0);
		}
	}

	/* altmm: only on this kernel (on Linux, /proc/new-mm does not exist). */
	if (guest_setup() == 0) {
		report("in_mm_signal_round_trip", op_signal, overhead);	/* SA_IN_MM, no switch */
		report_guest("guest_syscall_round_trip", GUEST_BASE);
		report_guest("guest_fault_round_trip", GUEST_BASE + (uint32_t)(guest_fault_entry - guest_code));
	}

	if (getpid() == 1)
		reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
