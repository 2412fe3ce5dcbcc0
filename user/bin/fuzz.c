/*
 * fuzz [-s SEED] [-n CALLS | -t SECONDS] [-c CALLS_PER_BATCH] [-b BATCH] [-v] [-p]
 * fuzz -x PROGRAM [ARGS...]   (see around() below):
 * random system calls, to find what makes the kernel panic, hang or leak.
 *
 * Calls are made by forked children, CALLS_PER_BATCH (default 64) each,
 * so that a child killed by a signal, or one that exits through a random
 * exit(), is an ordinary outcome: it is counted and the next batch starts.
 * Batch N's calls depend only on SEED and N (its own generator, seeded
 * from both), and each batch starts from the same state (a fresh working
 * directory, the same descriptors, the same buffers), so a seed names a
 * run and `-b N` replays one batch of it (`-v` prints each call first).
 *
 * The calls: numbers over the whole i386 table (0..450), altmm's own
 * (1000..1004) and some out of range; arguments drawn from small
 * integers, -1 and other edge values, page boundaries, kernel addresses,
 * unmapped addresses, pointers into valid buffers (random bytes, names of
 * files, short timespecs, iovecs), and descriptors of every kind the
 * child has (regular files, a memfd, directories, pipes, /dev/null and
 * /dev/zero, the console, procfs files, altmm's mm descriptors).
 *
 * The verdict never depends on timing: it is that every child could be
 * reaped (a child that is still there after a generous limit is killed
 * and counted as hung; one that a SIGKILL does not end is a failure), and
 * that, with all children reaped and their files removed, the kernel's
 * free memory (MemFree + Slab of /proc/meminfo) and its heap's live block
 * count (/proc/kheap, where there is one) are exactly what they were.
 * Exit status 0 when both held, else 1.
 *
 * Run it as pid 1 (init=/bin/fuzz, or as the guest's init: uml --
 * /bin/fuzz): the kernel then protects it from its children's signals
 * and it can end every descendant (kill(-1)) before the second look at
 * memory.  Elsewhere it keeps its children's signals away from itself
 * and its own process group, and the memory check is only reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <uapi/altmm.h>

#define WORKDIR "/tmp/fuzz"
#define BUF ((uint8_t *)0x50000000)	/* the valid buffers */
#define BUF_RW_PAGES 12			/* then one PROT_READ, one PROT_NONE, a hole */
#define PAGE 4096
#define CHILD_LIMIT_S 30		/* a batch still running after this is hung */
#define KILL_LIMIT_S 30			/* a SIGKILLed child still there: a failure */

/* What a child tells its parent, in a page they share: the call it is in. */
struct progress {
	uint32_t calls;			/* calls made (started) */
	uint32_t nr;			/* the last one's number and arguments */
	uint32_t args[6];
};
static volatile struct progress *progress;

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
static int parent_is_init;
static pid_t parent_pid, parent_pgid;

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

static int verbose, show_batches;

static void run_batch(uint32_t seed, uint32_t batch, uint32_t calls)
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

/* --- the parent --------------------------------------------------------------- */

#define VERBOSE_FD (3 + 64)

/* The number after "key" in a /proc file, or -1. */
static long proc_number(const char *path, const char *key)
{
	static char buf[2048];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	const char *at = strstr(buf, key);
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

struct mem {
	long free_kb;		/* MemFree + Slab */
	long kheap;		/* the kernel heap's live blocks, -1 if unknown */
};

static struct mem measure(void)
{
	struct mem m;
	long slab = proc_number("/proc/meminfo", "Slab:");
	m.free_kb = proc_number("/proc/meminfo", "MemFree:") + (slab > 0 ? slab : 0);
	m.kheap = proc_number("/proc/kheap", "live_blocks:");
	return m;
}

/* Remove everything under path (which a batch filled as it liked), and
 * path itself when self. */
static int remove_tree(const char *path, int self)
{
	static char names_buf[8192];
	int bad = 0;
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		int n;
		/* Read a buffer of names, remove them, read again from the start
		 * (removing while reading would skip entries). */
		while ((n = getdents64(fd, names_buf, sizeof names_buf)) > 0) {
			int removed = 0;
			for (int at = 0; at < n; ) {
				struct dirent *e = (struct dirent *)(names_buf + at);
				at += e->d_reclen;
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				char sub[512];
				if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
					continue;
				if (unlink(sub) == 0 || remove_tree(sub, 1) == 0)
					removed++;
				else
					bad = 1;
			}
			if (!removed)
				break;
			lseek(fd, 0, SEEK_SET);
		}
		close(fd);
	}
	if (self && rmdir(path) < 0)
		bad = 1;
	return bad ? -1 : 0;
}

/*
 * The root directory's entries when we started.  A batch's names are
 * relative, but a pointer into its iovecs or timespecs reads as a name
 * too, and one that starts with '/' (a byte of an address) is absolute:
 * "/" itself, say, for chdir, after which "f" and "d" land in the root.
 * Whatever a batch added there is removed after it, like its directory.
 */
static char root_names[32][64];
static int nroot;

static int in_root_names(const char *name)
{
	for (int i = 0; i < nroot; i++)
		if (!strcmp(root_names[i], name))
			return 1;
	return 0;
}

/* remember: note the names (at the start); else remove what is new. */
static int sweep_root(int remember)
{
	static char buf[4096];
	int bad = 0, fd = open("/", O_RDONLY | O_DIRECTORY), n;
	if (fd < 0)
		return -1;
	while ((n = getdents64(fd, buf, sizeof buf)) > 0) {
		for (int at = 0; at < n; ) {
			struct dirent *e = (struct dirent *)(buf + at);
			char sub[300];
			at += e->d_reclen;
			if (remember) {
				if (nroot < 32 && strlen(e->d_name) < 64)
					strcpy(root_names[nroot++], e->d_name);
				continue;
			}
			if (in_root_names(e->d_name))
				continue;
			snprintf(sub, sizeof sub, "/%s", e->d_name);
			if (unlink(sub) < 0 && remove_tree(sub, 1) < 0)
				bad = 1;
		}
	}
	close(fd);
	return bad ? -1 : 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static struct {
	uint32_t batches, calls, exited, signalled, stopped, hung, others;
	uint32_t by_signal[65];
} count;
static int failed;
static struct mem last;		/* after the previous batch (as init) */
static int leak_reports;

/* Wait for pid (reaping any other child that ends meanwhile) until
 * deadline; 1 and its status in *status if it ended, 0 if not. */
static int wait_until(pid_t pid, double deadline, int *status)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid_t r;
		int st;
		while ((r = waitpid(-1, &st, WNOHANG | WUNTRACED)) > 0) {
			if (r == pid) {
				*status = st;
				return 1;
			}
			if (WIFSTOPPED(st))
				kill(r, SIGKILL);
			else
				count.others++;
		}
		if (r < 0 && errno == ECHILD)
			return -1;
		double left = deadline - now();
		if (left <= 0)
			return 0;
		struct timespec t = { (time_t)left, (long)((left - (time_t)left) * 1e9) };
		if (t.tv_sec > 1)
			t = (struct timespec){ 1, 0 };
		sigtimedwait(&chld, NULL, &t);
	}
}

static void on_chld(int sig)
{
	(void)sig;		/* never runs: SIGCHLD is blocked, taken by sigtimedwait */
}

static void one_batch(uint32_t seed, uint32_t batch, uint32_t calls)
{
	if (mkdir(WORKDIR, 0777) < 0 && errno != EEXIST) {
		printf("fuzz: mkdir %s: %s\n", WORKDIR, strerror(errno));
		failed = 1;
		return;
	}
	memset((void *)progress, 0, sizeof *progress);
	if (show_batches)
		printf("fuzz: batch %u\n", batch);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		printf("fuzz: fork: %s\n", strerror(errno));
		failed = 1;
		return;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		run_batch(seed, batch, calls);
	}
	int status = 0, r = wait_until(pid, now() + CHILD_LIMIT_S, &status);
	if (r == 0) {
		count.hung++;
		printf("fuzz: batch %u hung in call %u: %u(%#x, %#x, %#x, %#x, %#x, %#x): killed\n",
		       batch, progress->calls, progress->nr, progress->args[0], progress->args[1],
		       progress->args[2], progress->args[3], progress->args[4], progress->args[5]);
		kill(pid, SIGKILL);
		r = wait_until(pid, now() + KILL_LIMIT_S, &status);
		if (r == 0) {
			printf("fuzz: FAIL: batch %u (pid %d) survives SIGKILL\n", batch, pid);
			failed = 1;
		}
	} else if (WIFSTOPPED(status)) {
		count.stopped++;
		kill(pid, SIGKILL);
		if (wait_until(pid, now() + KILL_LIMIT_S, &status) == 0) {
			printf("fuzz: FAIL: stopped batch %u (pid %d) survives SIGKILL\n", batch, pid);
			failed = 1;
		}
	} else if (WIFSIGNALED(status)) {
		count.signalled++;
		count.by_signal[WTERMSIG(status) & 63]++;
		if (verbose)
			printf("fuzz: batch %u: signal %d in call %u (%u)\n", batch, WTERMSIG(status),
			       progress->calls, progress->nr);
	} else {
		count.exited++;
	}
	count.batches++;
	count.calls += progress->calls;
	if (remove_tree(WORKDIR, 1) < 0 || sweep_root(0) < 0) {
		printf("fuzz: FAIL: batch %u left %s that cannot be removed\n", batch, WORKDIR);
		failed = 1;
	}
	if (!parent_is_init) {
		kill(-pid, SIGKILL);	/* what the batch left running (its session) */
		return;
	}
	/* As init: end and reap every descendant, then look at memory, so
	 * that a leak is pinned to the batch that made it (the overall
	 * check in main stays the verdict). */
	kill(-1, SIGKILL);
	while (waitpid(-1, &status, 0) > 0)
		count.others++;
	struct mem m = measure();
	if (last.free_kb && (m.free_kb != last.free_kb || m.kheap != last.kheap) && leak_reports < 20) {
		leak_reports++;
		printf("fuzz: batch %u: MemFree+Slab %ld -> %ld kB, kernel heap blocks %ld -> %ld "
		       "(replay: fuzz -s %u -c %u -b %u -v)\n", batch, last.free_kb, m.free_kb,
		       last.kheap, m.kheap, seed, calls, batch);
	}
	last = m;
}

static void usage(void)
{
	printf("usage: fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-c CALLS_PER_BATCH] [-b BATCH] [-v] [-p]\n"
	       "       fuzz -x PROGRAM [ARGS...]\n");
	exit(2);
}

/*
 * fuzz -x PROGRAM ARGS...: run PROGRAM (the guest kernel with a fuzzer
 * inside: -x /bin/uml -- /bin/fuzz -s 12) as our child and compare this
 * kernel's memory before and after it, every descendant reaped: what
 * the guest's calls made the host kernel do must leave nothing behind
 * either.  Its exit status is PROGRAM's, or 1 if memory differs.
 */
static int around(char **argv)
{
	if (getpid() != 1) {
		printf("fuzz -x: only as pid 1 (it ends every other process afterwards)\n");
		return 2;
	}
	remove_tree(WORKDIR, 1);
	sweep_root(1);
	struct mem before = measure(), after;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		printf("fuzz -x: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status = 0, st;
	pid_t r;
	while ((r = waitpid(-1, &st, 0)) > 0)
		if (r == pid)
			status = st;
	kill(-1, SIGKILL);
	while (waitpid(-1, &st, 0) > 0)
		;
	/* The guest's files are ours (its root is our root): a guest that
	 * died mid-batch leaves its fuzzer's directory, which is no leak. */
	remove_tree(WORKDIR, 1);
	sweep_root(0);
	after = measure();
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("fuzz: host memory around %s: MemFree+Slab %ld kB before, %ld kB after; "
	       "kernel heap blocks %ld before, %ld after\n", argv[0], before.free_kb, after.free_kb,
	       before.kheap, after.kheap);
	int same = before.free_kb == after.free_kb && before.kheap == after.kheap;
	printf("fuzz: %s exited with %d; host %s\n", argv[0], code, same ? "PASS" : "FAIL: leaked");
	fflush(NULL);
	return !same ? 1 : code;
}

int main(int argc, char **argv)
{
	uint32_t seed = 0, calls = 10000, per = 64, seconds = 0;
	long only = -1;
	int seeded = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-x") && i + 1 < argc)
			return around(argv + i + 1);
		if (!strcmp(argv[i], "-p")) {
			show_batches = 1;	/* each batch's number as it starts */
			continue;
		}
		if (!strcmp(argv[i], "-v")) {
			verbose = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		uint32_t v = strtoul(argv[i + 1], NULL, 0);
		if (!strcmp(argv[i], "-s"))
			seed = v, seeded = 1;
		else if (!strcmp(argv[i], "-n"))
			calls = v;
		else if (!strcmp(argv[i], "-t"))
			seconds = v;
		else if (!strcmp(argv[i], "-c"))
			per = v ? v : 1;
		else if (!strcmp(argv[i], "-b"))
			only = v;
		else
			usage();
		i++;
	}
	if (!seeded) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		seed = (uint32_t)(t.tv_sec ^ t.tv_nsec);
	}
	parent_pid = getpid();
	parent_pgid = getpgrp();
	parent_is_init = parent_pid == 1;
	if (seconds)
		printf("fuzz: seed %u, batches of %u for %u s\n", seed, per, seconds);
	else
		printf("fuzz: seed %u, %u calls in batches of %u%s\n", seed, calls, per,
		       only >= 0 ? " (one batch)" : "");
	printf("fuzz: reproduce with: fuzz -s %u -n %u -c %u (one batch: -s %u -c %u -b N -v)\n",
	       seed, calls, per, seed, per);

	/* The parent's own signals: SIGCHLD taken by sigtimedwait; the
	 * terminal's stop signals ignored (a child may make the console's
	 * foreground group its own). */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTTOU, &sa, NULL);
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (verbose)
		dup2(1, VERBOSE_FD);
	progress = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED) {
		printf("fuzz: mmap: %s\n", strerror(errno));
		return 1;
	}
	if (mkdir("/tmp", 0777) < 0 && errno != EEXIST)
		printf("fuzz: mkdir /tmp: %s\n", strerror(errno));
	remove_tree(WORKDIR, 1);
	sweep_root(1);

	/* Everything the parent will use is in place before the first look:
	 * one batch's worth of its own work (fork, the directory, the
	 * measurements) done once already. */
	one_batch(seed, 0xffffffff, 0);
	memset(&count, 0, sizeof count);
	struct mem before = measure(), after;
	double start = now();
	if (only >= 0) {
		one_batch(seed, (uint32_t)only, per);
	} else {
		/* With -t, calls stop counting: batches run until the time is up
		 * (the time decides how long, never what the verdict is). */
		for (uint32_t b = 0; seconds ? now() - start < seconds : count.calls < calls; b++)
			one_batch(seed, b, per);
	}
	if (parent_is_init)
		kill(-1, SIGKILL);	/* anything a batch left behind */
	int status;
	while (waitpid(-1, &status, 0) > 0)
		count.others++;
	after = measure();

	printf("fuzz: %u calls in %u batches, %u s: %u batches exited, %u killed by signals, "
	       "%u stopped, %u hung; %u other children reaped\n",
	       count.calls, count.batches, (unsigned)(now() - start), count.exited, count.signalled,
	       count.stopped, count.hung, count.others);
	printf("fuzz: deaths by signal:");
	for (int s = 1; s < 65; s++)
		if (count.by_signal[s])
			printf(" %s %u", strsignal(s), count.by_signal[s]);
	printf("\n");
	printf("fuzz: memory: MemFree+Slab %ld kB before, %ld kB after; kernel heap blocks %ld before, "
	       "%ld after\n", before.free_kb, after.free_kb, before.kheap, after.kheap);
	if (before.free_kb < 0) {
		printf("fuzz: FAIL: no /proc/meminfo\n");
		failed = 1;
	} else if (before.free_kb != after.free_kb || before.kheap != after.kheap) {
		if (parent_is_init) {
			printf("fuzz: FAIL: the kernel leaked: %ld kB, %ld heap blocks\n",
			       before.free_kb - after.free_kb, after.kheap - before.kheap);
			failed = 1;
		} else {
			printf("fuzz: memory differs (not a verdict: not pid 1, descendants may remain)\n");
		}
	}
	printf("fuzz: %s (seed %u)\n", failed ? "FAIL" : "PASS", seed);
	fflush(NULL);
	return failed;
}
