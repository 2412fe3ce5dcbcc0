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
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

/* MemFree in kB, or 0 when meminfo cannot even be read (that low). */
static long mem_free_kb(void)
{
	static char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return 0;
	int n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : 0;
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

int main(void)
{
	int p[2], go[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(go));
	fflush(NULL);
	pid_t pid = fork();
	CHECK_OK(pid);
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
	return 0;
}
