/*
 * Ten thousand rounds of the things that take and give back kernel memory:
 * fork and exit, a pipe made and closed, an address space made and
 * destroyed (altmm's mm_new and close, where the kernel has it), and an
 * exec.  Afterwards free memory and the kernel heap must be exactly what
 * they were before: one page or one heap block kept per round would show
 * as 40 MB or 10,000 blocks.
 *
 * Exact equality is asserted where the kernel promises it: our kernel
 * (MemFree + Slab from /proc/meminfo, and /proc/kheap's live blocks) and
 * the guest kernel (its MemFree, and its own /proc/kheap).  Linux keeps
 * caches that move with any work (its page cache, slab caches, per-CPU
 * lists), so there the rounds must only all succeed.
 *
 * The rounds are split over the four kinds (three without altmm) in equal
 * parts, at least ROUNDS in all.
 */
#include "check.h"
#include <altmm.h>

#define ROUNDS 10000

static char *self_path;

/* MemFree + Slab in kB (<memstat.h>). */
static long mem_free_kb(void)
{
	long kb = mem_free_slab_kb();
	CHECK(kb > 0);
	return kb;
}

static void forks(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		CHECK_OK(pid);
		if (pid == 0)
			_exit(i & 0x7f);
		int status = wait_status(pid);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), i & 0x7f);
	}
}

static void pipes(int n)
{
	for (int i = 0; i < n; i++) {
		int p[2];
		char c = 0;
		CHECK_OK(pipe(p));
		CHECK_EQ(write(p[1], "x", 1), 1);       /* a pipe with data in it gives its page back too */
		CHECK_EQ(read(p[0], &c, 1), 1);
		CHECK_EQ(c, 'x');
		CHECK_EQ(write(p[1], "y", 1), 1);       /* and one closed while it still holds a byte */
		CHECK_OK(close(p[0]));
		CHECK_OK(close(p[1]));
	}
}

static void spaces(int n)
{
	for (int i = 0; i < n; i++) {
		int mm = mm_new();
		CHECK_OK(mm);
		/* A page mapped and touched (through a batch write) in it, so
		 * destroying it has a frame and a page table to give back. */
		void *at = mm_mmap(mm, (void *)0x10000000, PAGE, PROT_READ | PROT_WRITE,
		                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		CHECK_EQ((long)at, 0x10000000);
		CHECK_OK(close(mm));
	}
}

static void execs(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		CHECK_OK(pid);
		if (pid == 0) {
			char *argv[] = { self_path, "child", NULL };
			execve(self_path, argv, environ);
			_exit(100);
		}
		int status = wait_status(pid);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), 42);
	}
}

/* One round of everything first, so that what is made once and kept (the
 * first exec's cached pages of this file, the heap's first chunks) is
 * already there before the measurement. */
static void all(int n, int altmm)
{
	forks(n);
	pipes(n);
	if (altmm)
		spaces(n);
	execs(n);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "child"))
		return 42;
	self_path = argv[0];

	struct new_utsname u;
	CHECK_OK(uname(&u));
	int ours = strstr(u.version, "altmm") != NULL;
	int guest = strstr(u.version, "uml-guest") != NULL;
	int altmm = ours && !strstr(u.version, "ALTMM=0");
	int kinds = altmm ? 4 : 3, each = (ROUNDS + kinds - 1) / kinds;

	all(1, altmm);
	long free_before = mem_free_kb(), blocks_before = kheap_blocks();
	all(each, altmm);
	long free_after = mem_free_kb(), blocks_after = kheap_blocks();

	printf("%d rounds: free %ld -> %ld kB, heap blocks %ld -> %ld\n",
	       each * kinds, free_before, free_after, blocks_before, blocks_after);
	if (ours || guest) {
		CHECK_EQ(free_after, free_before);
		CHECK(blocks_before > 0);               /* both kernels have /proc/kheap */
		CHECK_EQ(blocks_after, blocks_before);
	}
	return 0;
}
