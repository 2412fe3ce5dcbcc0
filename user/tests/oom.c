/*
 * Out of memory: the process with the most memory dies, not the one that
 * happened to ask for a page, and never init.
 *
 * A child (the hog) touches page after page until less than 512 kB is
 * free, then says so and waits (until we are gone, at the latest).  Then we, small, touch 4 MiB of new
 * pages: with no page free, each of our faults must make the kernel kill
 * the hog (SIGKILL), after which ours succeed.  (On Linux the hog may be
 * killed sooner, while it is still touching: the same outcome.)  runtests
 * is init here; it survives too, or nothing would report the result.
 *
 * Then all of it again, with the second hog given the first hog's pid (a
 * small kernel.pid_max makes pids come round quickly): the kernel once
 * remembered its victim by pid, took the new hog for the old victim
 * still dying, and waited for ever.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

/* MemFree in kB, or 0 when meminfo cannot even be read (that low). */
static long mem_free_kb(void)
{
	long kb = meminfo_kb("MemFree");
	return kb > 0 ? kb : 0;
}

/* Touch 64 MiB chunks until memory is nearly gone (or mmap says no:
 * the address space is full), say so on ready, then wait for the end of
 * go: our parent's death, which must not leave us behind. */
static void hog(int ready, int go)
{
	size_t chunk = 64 << 20;
	for (;;) {
		char *mem = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (mem == MAP_FAILED)
			break;
		size_t off;
		for (off = 0; off < chunk; off += PAGE) {
			mem[off] = 1;
			if (off % (64 * PAGE) == 0 && mem_free_kb() < 512)
				break;
		}
		if (off < chunk)
			break;
	}
	char c;
	write(ready, "r", 1);
	read(go, &c, 1);
	_exit(3);
}

/* pid_max as it was, put back however the test ends. */
static char pid_max_was[32];

static void set_pid_max(const char *text)
{
	int fd = open("/proc/sys/kernel/pid_max", O_WRONLY);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
}

static void restore_pid_max(void)
{
	if (pid_max_was[0])
		set_pid_max(pid_max_was);
}

/* Fork, with the child's pid `want` if want > 0, else one in [300, 600):
 * short-lived children are made and reaped until the pid before it was
 * the last (pids come round every 300 forks here). */
static pid_t fork_as(pid_t want)
{
	for (int i = 0; i < 2000; i++) {
		pid_t z = fork();
		CHECK_OK(z);
		if (z == 0)
			_exit(0);
		CHECK_EQ(wait_status(z), 0);
		if (want > 0 ? z == want - 1 : z >= 300 && z < 590)
			break;
	}
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid && want > 0)
		CHECK_EQ(pid, want);
	if (pid && want <= 0)
		CHECK(pid >= 300 && pid < 600);
	return pid;
}

/* One run: the hog (with pid `want` if > 0) is killed, we are not; its pid. */
static pid_t scenario(pid_t want)
{
	int p[2], go[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(go));
	fflush(NULL);
	pid_t pid = fork_as(want);
	if (pid == 0) {
		close(p[0]);
		close(go[1]);
		hog(p[1], go[0]);
	}
	close(p[1]);
	close(go[0]);
	char c;
	CHECK_OK(read(p[0], &c, 1));    /* "r", or 0: it was killed on the way */
	close(p[0]);

	size_t len = 4 << 20;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	for (size_t off = 0; off < len; off += PAGE)
		mem[off] = (char)(off >> 12);
	for (size_t off = 0; off < len; off += PAGE)
		CHECK_EQ(mem[off], (char)(off >> 12));
	CHECK_EQ(wait_status(pid), SIGKILL);
	CHECK_OK(munmap(mem, len));
	close(go[1]);
	return pid;
}

int main(void)
{
	int fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	CHECK_OK(fd);
	int n = read(fd, pid_max_was, sizeof pid_max_was - 1);
	CHECK(n > 0);
	close(fd);
	pid_max_was[n] = 0;
	atexit(restore_pid_max);
	set_pid_max("600");             /* pids wrap at 600, back to 300 */

	pid_t first = scenario(0);
	CHECK_EQ(scenario(first), first);
	return 0;
}
