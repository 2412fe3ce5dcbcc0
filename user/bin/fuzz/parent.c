/*
 * The parent's side of the fuzzer: batches started and watched, what they
 * leave removed, memory measured around them, and main.  fuzz.h says what
 * the program does.
 */
#include "fuzz.h"
#include <memstat.h>

/* --- the parent --------------------------------------------------------------- */


struct mem {
	long free_kb;		/* MemFree + Slab */
	long kheap;		/* the kernel heap's live blocks, -1 if unknown */
};

static struct mem measure(void)
{
	struct mem m;
	m.free_kb = mem_free_slab_kb();
	m.kheap = kheap_live_blocks();
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
