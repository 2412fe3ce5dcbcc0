/*
 * The host tests' runner: boots the fake machine once (the real frame
 * allocator has no "reset"), runs every test with leak checks around
 * it, and prints one line per test, "PASS name" or "FAIL name: why",
 * then "host tests: N passed, N failed".  tools/suite.py reads those.
 *
 *   mmtest                   every unit test, then the fuzzer (fixed seeds)
 *   mmtest -k NAME           only the tests whose name contains NAME
 *   mmtest --seed S --steps N [-v]   only the fuzzer, one seed, N steps
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include "../../kernel/mm/pte.h"

#define MAX_TESTS 200

static struct { const char *name; void (*fn)(void); } tests[MAX_TESTS];
static int ntests, failures;
static char first_failure[300];

void host_register(const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS)
		abort();
	tests[ntests].name = name;
	tests[ntests++].fn = fn;
}

void host_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[240];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!failures++)
		snprintf(first_failure, sizeof first_failure, "%s:%d: %s", file, line, msg);
	fprintf(stderr, "  %s:%d: %s\n", file, line, msg);
}

uint32_t pte_of(struct mm *mm, uint32_t va)
{
	uint32_t *slot = pte_slot_of(mm, va, false);
	return slot ? *slot : 0;
}

/* Loading a space that is loaded already would flush the TLB, and hide
 * the stale entries the fake TLB is there to show. */
static void load(struct mm *mm)
{
	if (read_cr3() != mm->pgdir_phys)
		mm_activate(mm);
}

int uread(struct mm *mm, uint32_t va, uint32_t *val)
{
	load(mm);
	return cpu_access(mm, va, false, val);
}

int uwrite(struct mm *mm, uint32_t va, uint32_t val)
{
	load(mm);
	return cpu_access(mm, va, true, &val);
}

/* Run one test; true if it passed, leaks included. */
const char *host_current_test;

static bool run(const char *name, void (*fn)(void))
{
	host_current_test = name;
	uint32_t frames = pmm_free_pages(), blocks = fake_heap_live(), files = fake_files_live();
	failures = 0;
	fn();
	fake_heap_fail_at(-1);
	mm_activate(0);
	if (pmm_free_pages() != frames)
		host_fail(name, 0, "leak: %d frames", (int)(frames - pmm_free_pages()));
	if (fake_heap_live() != blocks)
		host_fail(name, 0, "leak: %d heap blocks", (int)(fake_heap_live() - blocks));
	if (fake_files_live() != files)
		host_fail(name, 0, "leak: %d files", (int)(fake_files_live() - files));
	if (fake_kmap_slots())
		host_fail(name, 0, "leak: %u kmap slots", fake_kmap_slots());
	if (!fake_kernel_half_intact(0))
		host_fail(name, 0, "the kernel's page directory changed");
	if (failures)
		printf("FAIL %s: %s\n", name, first_failure);
	else
		printf("PASS %s\n", name);
	fflush(stdout);
	return !failures;
}

static uint64_t one_seed;
static long one_steps;
static bool one_verbose;

static void one_fuzz(void)
{
	if (!fuzz_mm(one_seed, one_steps, one_verbose))
		host_fail("fuzz", 0, "seed %llu: the space and the model disagree (rerun with -v)",
			  (unsigned long long)one_seed);
}

static void usage(void)
{
	fprintf(stderr, "usage: mmtest [-k NAME] | --seed S --steps N [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *only = "";
	long steps = -1;
	uint64_t seed = 0;
	bool verbose = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-k") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], 0, 0);
		else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
			steps = strtol(argv[++i], 0, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else
			usage();
	}
	setvbuf(stdout, 0, _IOLBF, 0);
	fake_boot();
	int passed = 0, failed = 0;
	if (steps >= 0) {
		printf("fuzz: seed %llu, %ld steps\n", (unsigned long long)seed, steps);
		char name[64];
		snprintf(name, sizeof name, "fuzz_seed_%llu", (unsigned long long)seed);
		one_seed = seed;
		one_steps = steps;
		one_verbose = verbose;
		bool ok = run(name, one_fuzz);
		printf("host tests: %d passed, %d failed\n", ok, !ok);
		return ok ? 0 : 1;
	}
	for (int i = 0; i < ntests; i++) {
		if (!strstr(tests[i].name, only))
			continue;
		if (run(tests[i].name, tests[i].fn))
			passed++;
		else
			failed++;
	}
	printf("host tests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
