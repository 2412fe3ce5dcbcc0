/*
 * The self-test runner.  Each test registered with SELFTEST() sits in the
 * .selftests section (between selftests_start and selftests_end).  Output,
 * one line per test, is what the harness parses:
 *
 *   selftest <name>: PASS
 *   selftest <name>: FAIL: <file>:<line>: <expression>
 *   selftests done: passed=<n> failed=<m>
 *
 * A test that leaves kmalloc blocks behind fails too: tests must clean up.
 */
#include <kernel/cmdline.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <kernel/string.h>

extern const struct selftest selftests_start[], selftests_end[];

static const char *failure_file, *failure_expr;
static int failure_line;

void selftest_fail(const char *file, int line, const char *expr)
{
	if (failure_file)
		return;	/* keep the first failure */
	failure_file = file;
	failure_line = line;
	failure_expr = expr;
}

static bool run_one(const struct selftest *t)
{
	struct heap_stats before, after;
	failure_file = 0;
	heap_get_stats(&before);
	t->fn();
	heap_get_stats(&after);
	if (!failure_file && after.live_blocks != before.live_blocks)
		selftest_fail(__FILE__, __LINE__, "test leaked kmalloc blocks");
	if (failure_file) {
		printk("selftest %s: FAIL: %s:%d: %s\n", t->name, failure_file, failure_line, failure_expr);
		return false;
	}
	printk("selftest %s: PASS\n", t->name);
	return true;
}

static const struct selftest *find(const char *name)
{
	for (const struct selftest *t = selftests_start; t < selftests_end; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return 0;
}

bool selftest_run_requested(bool *any_requested)
{
	char list[256];
	int passed = 0, failed = 0;
	*any_requested = cmdline_get("selftest", list, sizeof list);
	if (!*any_requested)
		return true;

	if (strcmp(list, "all") == 0) {
		for (const struct selftest *t = selftests_start; t < selftests_end; t++)
			if (!t->manual)
				run_one(t) ? passed++ : failed++;
	} else {
		for (char *p = list; *p;) {
			char *comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			const struct selftest *t = find(p);
			if (t) {
				run_one(t) ? passed++ : failed++;
			} else {
				printk("selftest %s: FAIL: no such test\n", p);
				failed++;
			}
			p += strlen(p) + (comma ? 1 : 0);
		}
	}
	printk("selftests done: passed=%d failed=%d\n", passed, failed);
	return failed == 0;
}

/* Fails on purpose: the harness runs it to prove that it notices failures. */
SELFTEST_MANUAL(canary_fail)
{
	EXPECT(1 + 1 == 3);
}
