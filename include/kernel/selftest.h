/*
 * In-kernel self-tests.  A test is a function returning nothing; it checks
 * with EXPECT(), which records the first failure with its file, line and
 * expression.  SELFTEST(name) registers a test in the .selftests section;
 * the command line `selftest=all` runs every ordinary test, and
 * `selftest=a,b` runs the named ones (including "manual" tests, such as the
 * deliberately failing canary the harness uses to prove it sees failures).
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdbool.h>

struct selftest {
	const char *name;
	void (*fn)(void);
	bool manual;	/* run only when named, never by "all" */
};

/* The entry's symbol name tells the harness (tools/suite.py) which tests
 * exist and which are manual, so a test that never reports is caught. */
#define SELFTEST_(name, manual, entry)						\
	static void selftest_##name(void);					\
	static const struct selftest entry					\
	__attribute__((used, section(".selftests"), aligned(4))) =		\
		{ #name, selftest_##name, manual };				\
	static void selftest_##name(void)

#define SELFTEST(name) SELFTEST_(name, false, selftest_entry_##name)
#define SELFTEST_MANUAL(name) SELFTEST_(name, true, selftest_manual_entry_##name)

void selftest_fail(const char *file, int line, const char *expr);

/* Check cond; on failure record it and leave the test function. */
#define EXPECT(cond) do {							\
		if (!(cond)) { selftest_fail(__FILE__, __LINE__, #cond); return; } \
	} while (0)

/* Run what the command line asks for; returns true if every test passed. */
bool selftest_run_requested(bool *any_requested);

#endif
