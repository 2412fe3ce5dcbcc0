/*
 * runtests [--rounds N] [NAME...]: run every program in /tests (or just
 * the ones named), each in a child of its own, in name order, and report:
 *
 *   test NAME: PASS
 *   test NAME: FAIL (exit N)          or (signal N), (leaked N kB), (leaked N heap blocks)
 *   test NAME: SKIP: reason           (the last line the test printed)
 *   tests done: passed=N failed=M skipped=K
 *
 * Everything a test prints (stdout and stderr, through a pipe) is passed
 * on indented by two spaces, so that only the lines above start with
 * "test".  Exit status of a test: 0 pass, 77 skip, anything else fail.
 *
 * On our kernel (uname's version says "altmm") and inside the guest kernel
 * ("uml-guest") runtests also compares MemFree + Slab from /proc/meminfo,
 * and the kernel heap's live blocks from /proc/kheap, before and after
 * each test: memory or a heap block a test did not give back is a failure
 * ("leaked N kB", "leaked N heap blocks").  Linux's caches move with any
 * work, so there is no such check on Linux.  The check needs runtests to be
 * init (pid 1, as the suite boots it): only then do a test's orphans (a
 * shell's background job, say) come back to it, so that it can wait for
 * every process the test made before it measures.
 *
 * --rounds N (a soak) runs the whole list N times in this one boot and
 * reports each round's "tests done" line.  Where the leak check runs, it
 * also compares free memory and heap blocks after the first round with
 * what is left after the last: a kernel that loses a page or a block
 * only now and then, or that grows a cache without bound, shows here
 *
 *   soak: after round 1: F kB free, B heap blocks; after round N: F' kB, B'
 *   soak: PASS                 or  soak: FAIL (...)
 *
 * As PID 1 on Linux (the oracle's initramfs) it mounts /proc first and
 * powers the machine off at the end; otherwise it exits 0 if nothing
 * failed, else 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <memstat.h>

#define TESTS_DIR "/tests"
#define MAX_TESTS 128
#define NAME_LEN 64

static char names[MAX_TESTS][NAME_LEN];
static int ntests;

/* Our own complaints, indented like test output so the harness skips them. */
static void complain(const char *what)
{
	printf("  runtests: %s: %s\n", what, strerror(errno));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Copy what the test writes to our stdout, two spaces in front of every
 * line; keep the last non-empty line (a skipping test's reason).
 */
static char line[512];

static void relay_output(int fd, char *last, size_t last_size)
{
	size_t len = 0;
	char buf[256];
	int n;

	last[0] = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++) {
			if (buf[i] != '\n' && len < sizeof(line) - 1) {
				line[len++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;               /* over-long line: cut */
			line[len] = 0;
			printf("  %s\n", line);
			if (len) {
				strncpy(last, line, last_size - 1);
				last[last_size - 1] = 0;
			}
			len = 0;
		}
	}
	if (len) {                              /* a last line without '\n' */
		line[len] = 0;
		printf("  %s\n", line);
		strncpy(last, line, last_size - 1);
		last[last_size - 1] = 0;
	}
}

/* Run one test; return 0 pass, 1 fail, 2 skip (and print its line). */
static int run_one(const char *name, int leak_check)
{
	char path[NAME_LEN + sizeof(TESTS_DIR) + 1];
	char last[200];
	int p[2], status;
	long before = -1, after = -1, blocks_before = -1, blocks_after = -1;

	snprintf(path, sizeof(path), "%s/%s", TESTS_DIR, name);
	if (leak_check) {
		before = mem_free_slab_kb();
		blocks_before = kheap_live_blocks();
	}
	if (pipe(p) < 0) {
		complain("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		complain("fork");
		close(p[0]);
		close(p[1]);
		return 1;
	}
	if (pid == 0) {
		char *argv[] = { path, NULL };
		close(p[0]);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (p[1] > 2)
			close(p[1]);
		execve(path, argv, environ);
		perror(path);
		_exit(127);
	}
	close(p[1]);
	relay_output(p[0], last, sizeof(last));
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid) {
		complain("waitpid");
		return 1;
	}
	if (leak_check) {
		while (waitpid(-1, NULL, 0) > 0)
			;               /* the test's orphans, given to us (init) */
		after = mem_free_slab_kb();
		blocks_after = kheap_live_blocks();
	}

	if (WIFSIGNALED(status)) {
		printf("test %s: FAIL (signal %d)\n", name, WTERMSIG(status));
		return 1;
	}
	int code = WEXITSTATUS(status);
	if (code != 0 && code != 77) {
		printf("test %s: FAIL (exit %d)\n", name, code);
		return 1;
	}
	if (leak_check && before >= 0 && after != before) {
		printf("test %s: FAIL (leaked %ld kB)\n", name, before - after);
		return 1;
	}
	if (leak_check && blocks_before >= 0 && blocks_after != blocks_before) {
		printf("test %s: FAIL (leaked %ld heap blocks)\n", name, blocks_after - blocks_before);
		return 1;
	}
	if (code == 77) {
		printf("test %s: SKIP: %s\n", name, last[0] ? last : "(no reason given)");
		return 2;
	}
	printf("test %s: PASS\n", name);
	return 0;
}

/*
 * Touch the memory runtests itself will use (static buffers, some stack,
 * stdout's buffer) now, so that the leak check does not blame the first
 * test for pages runtests faulted in while running it.
 */
static void warm_up(void)
{
	volatile char stack[8192];
	for (unsigned i = 0; i < sizeof(stack); i += 512)
		stack[i] = 0;
	memset(line, 0, sizeof(line));
	mem_free_slab_kb();
	kheap_live_blocks();
	fflush(NULL);
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 1)
		return 1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

/* One round of every test: adds to counts[pass, fail, skip]. */
static void run_round(int leak_check, int pid1, int counts[3])
{
	for (int i = 0; i < ntests; i++) {
		counts[run_one(names[i], leak_check)]++;
		while (pid1 && waitpid(-1, NULL, WNOHANG) > 0)
			;               /* as init, also reap orphans the tests left */
	}
	printf("tests done: passed=%d failed=%d skipped=%d\n", counts[0], counts[1], counts[2]);
}

int main(int argc, char **argv)
{
	int pid1 = getpid() == 1;
	struct new_utsname u;
	int ours = uname(&u) == 0 && strstr(u.version, "altmm");
	int guest = !ours && strstr(u.version, "uml-guest");
	int counts[3] = { 0, 0, 0 }, rounds = 1;

	argv++, argc--;
	if (argc >= 2 && !strcmp(argv[0], "--rounds")) {
		rounds = atoi(argv[1]);
		argv += 2, argc -= 2;
		if (rounds < 1) {
			printf("runtests: --rounds wants a number of rounds, at least 1\n");
			return 2;
		}
	}

	if (pid1 && !ours) {
		/* Linux's initramfs has no /proc until someone mounts it. */
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, NULL) < 0)
			complain("mount /proc");
	}

	DIR *d = opendir(TESTS_DIR);
	if (!d) {
		complain(TESTS_DIR);
		printf("tests done: passed=0 failed=1 skipped=0\n");
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d)) && ntests < MAX_TESTS) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= NAME_LEN)
			continue;
		if (wanted(e->d_name, argc, argv))
			strcpy(names[ntests++], e->d_name);
	}
	closedir(d);
	qsort(names, ntests, NAME_LEN, cmp_names);

	warm_up();
	int leak_check = pid1 && (ours || guest), failed = 0;
	long free1 = 0, blocks1 = 0;
	for (int round = 1; round <= rounds; round++) {
		if (rounds > 1)
			printf("round %d of %d\n", round, rounds);
		counts[0] = counts[1] = counts[2] = 0;
		run_round(leak_check, pid1, counts);
		failed += counts[1];
		if (round == 1) {
			free1 = mem_free_slab_kb();
			blocks1 = kheap_live_blocks();
		}
	}
	if (rounds > 1 && leak_check) {
		long free_n = mem_free_slab_kb(), blocks_n = kheap_live_blocks();
		printf("soak: after round 1: %ld kB free, %ld heap blocks; after round %d: %ld kB, %ld\n",
		       free1, blocks1, rounds, free_n, blocks_n);
		if (free_n != free1 || blocks_n != blocks1) {
			printf("soak: FAIL (%ld kB and %ld heap blocks lost in %d rounds)\n",
			       free1 - free_n, blocks_n - blocks1, rounds - 1);
			failed++;
		} else {
			printf("soak: PASS\n");
		}
	}
	fflush(NULL);

	if (pid1 && !ours) {
		reboot(LINUX_REBOOT_CMD_POWER_OFF);
		complain("reboot");
	}
	return failed ? 1 : 0;
}
