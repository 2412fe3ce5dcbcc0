/*
 * Memory of any size: half of what /proc/meminfo says is available (at
 * most 512 MiB), written page by page with a pattern that names the
 * page, shared copy-on-write with a child that checks it all and changes
 * every 16th page, then read back on both sides.  On a machine with more
 * RAM than the kernel maps directly (1 GiB under QEMU: the suite boots
 * one), these are high-memory pages, which the kernel zeroes and copies
 * through its kmap window; meminfo's HighFree must show them taken.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

/* A field of /proc/meminfo in kB, or -1 if it has none. */
static long meminfo(const char *key)
{
	static char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK_OK(fd);
	int n = read(fd, buf, sizeof buf - 1);
	CHECK(n > 0);
	buf[n] = 0;
	close(fd);
	size_t k = strlen(key);
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0)
		if (!strncmp(line, key, k) && line[k] == ':')
			return strtol(line + k + 1, NULL, 10);
	return -1;
}

static uint32_t mark(uint32_t page, uint32_t gen) { return page * 2654435761u ^ gen; }

/* Every page's first and last word hold its mark; pages with
 * page % 16 == 0 carry generation changed, the rest 0. */
static int check_pages(uint32_t *mem, uint32_t pages, uint32_t changed)
{
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t gen = i % 16 == 0 ? changed : 0;
		uint32_t *w = mem + i * (PAGE / 4);
		if (w[0] != mark(i, gen) || w[PAGE / 4 - 1] != ~mark(i, gen)) {
			printf("page %u: %#x %#x, expected %#x %#x\n", i, w[0], w[PAGE / 4 - 1],
			       mark(i, gen), ~mark(i, gen));
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	long avail = meminfo("MemAvailable"), high_total = meminfo("HighTotal");
	long high_free = meminfo("HighFree");
	CHECK(avail > 0);
	uint32_t pages = (uint32_t)(avail / 2 / 4);
	if (pages > (512u << 20) / PAGE)
		pages = (512u << 20) / PAGE;
	uint32_t *mem = mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	for (uint32_t i = 0; i < pages; i++) {
		mem[i * (PAGE / 4)] = mark(i, 0);
		mem[i * (PAGE / 4) + PAGE / 4 - 1] = ~mark(i, 0);
	}
	if (high_total > 0) {
		/* User pages come from high memory first: at least half of ours. */
		long taken = high_free - meminfo("HighFree");
		long want = (long)pages * 4 / 2;
		if (high_free < want)
			want = high_free / 2;
		if (taken < want)
			check_fail(__FILE__, __LINE__, "HighFree went down by %ld kB, expected %ld or more",
				   taken, want);
	}
	CHECK_EQ(check_pages(mem, pages, 0), 0);

	fflush(NULL);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		if (check_pages(mem, pages, 0))
			_exit(2);
		for (uint32_t i = 0; i < pages; i += 16) {
			mem[i * (PAGE / 4)] = mark(i, 7);
			mem[i * (PAGE / 4) + PAGE / 4 - 1] = ~mark(i, 7);
		}
		_exit(check_pages(mem, pages, 7) ? 3 : 0);
	}
	int status = wait_status(pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	CHECK_EQ(check_pages(mem, pages, 0), 0);       /* the child's writes were its own */
	CHECK_OK(munmap(mem, (size_t)pages * PAGE));
	printf("bigmem: %u pages (%u MiB), HighTotal %ld kB\n", pages, pages / 256, high_total);
	return 0;
}
