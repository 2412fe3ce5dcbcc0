/*
 * runtests [NAME...]: run every program in /tests (or just the ones
 * named), each in a child of its own, in name order, and report:
 *
 *   test NAME: PASS
 *   test NAME: FAIL (exit N)          or (signal N), or (leaked N kB)
 *   test NAME: SKIP: reason           (the last line the test printed)
 *   tests done: passed=N failed=M skipped=K
 *
 * Everything a test prints (stdout and stderr, through a pipe) is passed
 * on indented by two spaces, so that only the lines above start with
 * "test".  Exit status of a test: 0 pass, 77 skip, anything else fail.
 *
 * On our kernel (uname's version says "altmm") runtests also compares
 * MemFree + Slab from /proc/meminfo before and after each test: memory a
 * test did not give back is a failure.
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

/* The number after "key:" on one of /proc/meminfo's lines, or 0. */
static long meminfo_field(const char *buf, const char *key)
{
	size_t n = strlen(key);
	for (const char *line = buf; *line; ) {
		if (!strncmp(line, key, n) && line[n] == ':')
			return strtol(line + n + 1, NULL, 10);
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return 0;
}

/* MemFree + Slab in kB, or -1 if /proc/meminfo cannot be read. */
static long mem_free_kb(void)
{
	static char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return -1;
	int n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return meminfo_field(buf, "MemFree") + meminfo_field(buf, "Slab");
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
	long before = -1, after = -1;

	snprintf(path, sizeof(path), "%s/%s", TESTS_DIR, name);
	if (leak_check)
		before = mem_free_kb();
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
	if (leak_check)
		after = mem_free_kb();

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
	mem_free_kb();
	fflush(NULL);
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int pid1 = getpid() == 1;
	struct new_utsname u;
	int ours = uname(&u) == 0 && strstr(u.version, "altmm");
	int counts[3] = { 0, 0, 0 };

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
	for (int i = 0; i < ntests; i++) {
		counts[run_one(names[i], ours)]++;
		while (pid1 && waitpid(-1, NULL, WNOHANG) > 0)
			;               /* as init, also reap orphans the tests left */
	}
	printf("tests done: passed=%d failed=%d skipped=%d\n", counts[0], counts[1], counts[2]);
	fflush(NULL);

	if (pid1 && !ours) {
		reboot(LINUX_REBOOT_CMD_POWER_OFF);
		complain("reboot");
	}
	return counts[1] ? 1 : 0;
}
