/*
 * The child's side of the fuzzer: the generator, the world a batch starts
 * from (descriptors, buffers, a working directory), the arguments, and the
 * calls themselves.  fuzz.h says what the program does.
 */
#include "fuzz.h"

volatile struct progress *progress;

/* --- the generator: xorshift64*, one stream per batch ---------------------- */

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static void seed_batch(uint32_t seed, uint32_t batch)
{
	rng = ((uint64_t)seed << 32 | batch) ^ 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 8; i++)
		rnd();
	if (!rng)
		rng = 1;
}

/* --- the system call, and the new tasks it may make ------------------------ */

/*
 * fz_call(nr, a): nr with a[0..5] in ebx..ebp, straight through int $0x80.
 * fz_spawn is the same for fork, vfork, clone and clone3, and in the new
 * task (eax 0) it calls exit(0) at once, touching no memory: the new task
 * may share our stack (vfork, clone with CLONE_VM and no stack) or have
 * a random one, and must not run the rest of the batch a second time.
 */
long fz_call(long nr, const uint32_t *a);
long fz_spawn(long nr, const uint32_t *a);
__asm__(".text\n"
	"fz_call:\n	xorl %ecx, %ecx\n	jmp 1f\n"
	"fz_spawn:\n	movl $1, %ecx\n"
	"1:	pushl %ebp\n	pushl %edi\n	pushl %esi\n	pushl %ebx\n"
	"	pushl %ecx\n"
	"	movl 24(%esp), %eax\n	movl 28(%esp), %ebp\n"
	"	movl 0(%ebp), %ebx\n	movl 4(%ebp), %ecx\n	movl 8(%ebp), %edx\n"
	"	movl 12(%ebp), %esi\n	movl 16(%ebp), %edi\n	movl 20(%ebp), %ebp\n"
	"	cmpl $0, (%esp)\n	jne 2f\n"
	"	int $0x80\n	jmp 3f\n"
	"2:	int $0x80\n	testl %eax, %eax\n	jne 3f\n"
	"	movl $1, %eax\n	xorl %ebx, %ebx\n	int $0x80\n"
	"3:	popl %ecx\n	popl %ebx\n	popl %esi\n	popl %edi\n	popl %ebp\n"
	"	ret\n");

/* --- the child's world ------------------------------------------------------ */

static int fds[24];
static int nfds;
int parent_is_init;
pid_t parent_pid, parent_pgid;

/* Names the path arguments point at: all relative and without "..", so
 * that whatever the calls do to files happens inside the working
 * directory, which the parent removes after the batch (an absolute name
 * would let a child rename /dev/null or unlink /bin/sh, changing the
 * system under the next batches and the memory the check compares). */
static const char *const names[] = {
	"f", "g", "d", "d/x", "p", "s", "new", "d/new", ".", "", "ro",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
#define NNAMES (sizeof names / sizeof names[0])
/* Where things are in the buffer's first page (the rest is random bytes). */
#define OFF_NAMES 0			/* 16 slots of 320 bytes: names[] */
#define OFF_TIMES 3 * PAGE		/* timespecs: {0,0} {0,1} {0,1000000} {1,0} */
#define OFF_IOV (3 * PAGE + 64)		/* 8 iovecs into the random pages */

static void add_fd(int fd)
{
	if (fd >= 0 && nfds < (int)(sizeof fds / sizeof fds[0]))
		fds[nfds++] = fd;
}

static void on_alarm(int sig)
{
	(void)sig;			/* only to end a blocking call (EINTR) */
}

/* Each batch's starting state.  The descriptors 0-2 become /dev/null, so
 * that random writes do not fill the console (and the log) with bytes;
 * the console itself is open read-only for the same reason, which still
 * reaches its reads, polls and ioctls. */
static void child_setup(void)
{
	setsid();
	if (chdir(WORKDIR) < 0)
		_exit(120);
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
	uint8_t *b = mmap(BUF, (BUF_RW_PAGES + 2) * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (b != BUF)
		_exit(121);
	for (uint32_t *w = (uint32_t *)b; w < (uint32_t *)(b + (BUF_RW_PAGES + 1) * PAGE); w++)
		*w = rnd();
	for (uint8_t *c = b; c < b + (BUF_RW_PAGES + 1) * PAGE; c++)
		if (*c == '/' || *c == '.')
			*c = 'x';	/* random bytes name nothing outside WORKDIR */
	for (unsigned i = 0; i < NNAMES; i++)
		strcpy((char *)b + OFF_NAMES + 320 * i, names[i]);
	static const struct timespec times[] = { { 0, 0 }, { 0, 1 }, { 0, 1000000 }, { 1, 0 } };
	memcpy(b + OFF_TIMES, times, sizeof times);
	struct iovec *iov = (struct iovec *)(b + OFF_IOV);
	for (int i = 0; i < 8; i++) {
		iov[i].iov_base = b + 4 * PAGE + below(6 * PAGE);
		iov[i].iov_len = below(3) ? below(64) : below(2 * PAGE);
	}
	mprotect(b + BUF_RW_PAGES * PAGE, PAGE, PROT_READ);
	mprotect(b + (BUF_RW_PAGES + 1) * PAGE, PAGE, PROT_NONE);

	int f = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(f, b + 4 * PAGE, 3 * PAGE + 100);
	add_fd(f);
	add_fd(open("g", O_WRONLY | O_CREAT | O_APPEND, 0600));
	close(open("ro", O_WRONLY | O_CREAT, 0444));
	add_fd(open("ro", O_RDONLY));
	mkdir("d", 0755);
	add_fd(open(".", O_RDONLY | O_DIRECTORY));
	add_fd(open("d", O_RDONLY | O_DIRECTORY));
	add_fd(open("/proc", O_RDONLY | O_DIRECTORY));
	add_fd(open("/proc/meminfo", O_RDONLY));
	add_fd(open("/proc/self/stat", O_RDONLY));
	add_fd(memfd_create("fz", 0));
	int p[2];
	if (!pipe(p)) {
		add_fd(p[0]);
		add_fd(p[1]);
		write(p[1], b + 5 * PAGE, 100);
	}
	if (!pipe2(p, O_NONBLOCK)) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	add_fd(open("/dev/zero", O_RDWR));
	add_fd(open("/dev/null", O_RDWR));
	add_fd(open("/dev/console", O_RDONLY | O_NOCTTY));
	add_fd(open("/proc/new-mm", O_RDWR));	/* altmm; ENOENT elsewhere */
	add_fd(open("/proc/new-mm", O_RDWR));
	add_fd(open("/proc/self/mm", O_RDWR));
	int closed = open("/dev/null", O_RDONLY);
	close(closed);
	add_fd(closed);				/* a descriptor that is not open */

	/* Blocking calls (a read of an empty pipe, pause, a long sleep) end
	 * at the next tick of this timer; the calls that could take it away
	 * are tamed in tame() below. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* --- arguments --------------------------------------------------------------- */

static uint32_t pick_pointer(void)
{
	uint8_t *b = BUF;
	switch (below(10)) {
	case 0: case 1:
		return (uint32_t)(b + OFF_NAMES + 320 * below(NNAMES));
	case 2:
		return (uint32_t)(b + OFF_TIMES + 16 * below(4));
	case 3:
		return (uint32_t)(b + OFF_IOV + 8 * below(4));
	case 4:				/* near a page end, the next page unreadable */
		return (uint32_t)(b + (BUF_RW_PAGES + below(2)) * PAGE - 1 - below(32));
	case 5:				/* the read-only, PROT_NONE and unmapped pages */
		return (uint32_t)(b + (BUF_RW_PAGES + below(3)) * PAGE + below(PAGE));
	default:
		return (uint32_t)(b + 4 * PAGE + (below(2) ? below(8 * PAGE) & ~3u : below(8 * PAGE)));
	}
}

static uint32_t pick_arg(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, 0x7ffff000,
		0x40000000, 0xffff, 0x10000, 0x100, 0xff, 64, 4095, 4096, 4097,
	};
	static const uint32_t places[] = {	/* kernel and unmapped addresses */
		0xc0000000, 0xc0001000, 0xc0100000, 0xc0400000, 0xf0000000, 0xfffff000,
		0xffffffff, 0xbffff000, 0xbfffe000, 0xc0000000 - 4, 0x1000, 0x10000000,
		0x08047000, 0x60000000, 0xfffff000 + 0xffc,
	};
	switch (below(16)) {
	case 0: case 1: case 2:
		return below(17);			/* small integers, descriptors too */
	case 3: case 4:
		return nfds ? (uint32_t)fds[below(nfds)] : 3;
	case 5: case 6:
		return edges[below(sizeof edges / sizeof edges[0])];
	case 7:
		return PAGE * below(0x100) + (below(4) ? 0 : below(3) - 1);
	case 8:
		return places[below(sizeof places / sizeof places[0])] + (below(4) ? 0 : below(PAGE));
	case 9:
		return 0xc0000000 + (rnd() % 0x40000000);
	case 10: case 11: case 12:
		return pick_pointer();
	case 13:
		return 1u << below(32) | (below(2) ? 1u << below(32) : 0);
	default:
		return rnd();
	}
}

static uint32_t pick_nr(void)
{
	switch (below(64)) {
	case 0:
		return 451 + below(549);		/* past Linux's table */
	case 1:
		return below(2) ? 1005 + below(8) : rnd();
	case 2: case 3: case 4:
		return 1000 + below(5);			/* altmm's own */
	default:
		return below(451);
	}
}

/* Is this a buffer of ours (where we may clear a bit before the call)? */
static uint32_t *ours(uint32_t a)
{
	if (a < (uint32_t)BUF || a + 8 > (uint32_t)BUF + BUF_RW_PAGES * PAGE || (a & 3))
		return NULL;
	return (uint32_t *)a;
}

#define ALRM_BIT (1u << (SIGALRM - 1))

/*
 * Calls that are not made, or made with an argument changed, and why.
 * Return 0 to skip the call.
 */
static int tame(uint32_t nr, uint32_t *a)
{
	uint32_t *m;
	switch (nr) {
	case __NR_reboot:	/* as root it powers the machine off: the end of the test */
		return 0;
	case __NR_kill: case __NR_tkill: case __NR_tgkill: case __NR_prlimit64:
	case __NR_rt_sigqueueinfo: case __NR_rt_tgsigqueueinfo: case __NR_setpgid:
		/* As pid 1 the kernel guards the parent (init takes only the
		 * signals it handles) and kill(-1) spares it: that is tested.
		 * Elsewhere a child could kill the parent, its process group
		 * or change its limits: those become the child itself. */
		if (!parent_is_init && ((int)a[0] == -1 || a[0] == (uint32_t)parent_pid ||
		    (int)a[0] == -parent_pgid || (int)a[0] <= -1))
			a[0] = 0;
		return 1;
	/* The rest keep SIGALRM (the child's way out of a blocking call)
	 * working: without it most batches would wait for the watchdog. */
	case __NR_signal: case __NR_sigaction: case __NR_rt_sigaction:
		if (a[0] == SIGALRM)
			a[0] = SIGPROF;
		return 1;
	case __NR_alarm:
		return 0;
	case __NR_setitimer:
		if (a[0] == ITIMER_REAL)
			a[0] = ITIMER_VIRTUAL;
		return 1;
	case __NR_sigprocmask: case __NR_rt_sigprocmask:
		if ((m = ours(a[1])))
			*m &= ~ALRM_BIT;
		return 1;
	case __NR_sigsuspend:
		a[2] &= ~ALRM_BIT;
		return 1;
	case __NR_rt_sigsuspend:
		if ((m = ours(a[0])))
			*m &= ~ALRM_BIT;
		return 1;
	case __NR_ppoll: case __NR_ppoll_time64:
		if ((m = ours(a[3])))
			*m &= ~ALRM_BIT;
		return 1;
	case __NR_pselect6: case __NR_pselect6_time64:
		if ((m = ours(a[5])) && (m = ours(*m)))
			*m &= ~ALRM_BIT;
		return 1;
	case __NR_sigreturn: case __NR_rt_sigreturn:
		return 1;	/* a frame of random bytes: SIGSEGV, mostly */
	default:
		return 1;
	}
}

int verbose, show_batches;

void run_batch(uint32_t seed, uint32_t batch, uint32_t calls)
{
	seed_batch(seed, batch);
	child_setup();
	for (uint32_t i = 0; i < calls; i++) {
		uint32_t nr = pick_nr(), a[6];
		for (int k = 0; k < 6; k++)
			a[k] = pick_arg();
		if (!tame(nr, a))
			continue;
		progress->nr = nr;
		memcpy((void *)progress->args, a, sizeof a);
		progress->calls++;
		if (verbose) {
			char line[128];
			int n = snprintf(line, sizeof line, "fuzz: %u.%u: %u(%#x, %#x, %#x, %#x, %#x, %#x)\n",
					 batch, i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			__syscall3(__NR_write, 3 + 64, line, n);	/* the parent's console copy */
		}
		int spawns = nr == __NR_fork || nr == __NR_vfork || nr == __NR_clone ||
			     nr == __NR_clone3;
		(spawns ? fz_spawn : fz_call)(nr, a);
	}
	_exit(0);
}
