/*
 * The host tests' harness (tests/host/harness.c): TEST(name) { ... }
 * registers a test; CHECK and CHECK_EQ record failures and carry on.
 * Around every test the harness checks that the test gave back what it
 * took: free frames, heap blocks, kmap slots, files, and that the
 * kernel's half of the page directory is untouched.
 */
#ifndef HOST_HARNESS_H
#define HOST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include "fake.h"

void host_register(const char *name, void (*fn)(void));
extern const char *host_current_test;	/* a panic names it in its FAIL line */
void host_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define TEST(name) \
	static void test_##name(void); \
	__attribute__((constructor)) static void register_##name(void) { host_register(#name, test_##name); } \
	static void test_##name(void)

#define CHECK(cond) do { if (!(cond)) host_fail(__FILE__, __LINE__, "%s", #cond); } while (0)
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) \
		host_fail(__FILE__, __LINE__, "%s == %s: %lld (%#llx), expected %lld (%#llx)", \
			  #a, #b, a_, (unsigned long long)a_, b_, (unsigned long long)b_); \
} while (0)

/* The model-based fuzzer (fuzz_mm.c): steps random operations from seed;
 * true when every check held. */
bool fuzz_mm(uint64_t seed, long steps, bool verbose);

/* Helpers over kernel/mm for the tests (harness.c). */
struct mm;
/* The PTE of va in mm, 0 if none. */
uint32_t pte_of(struct mm *mm, uint32_t va);
/* Load mm and read/write the word at va as a user program would;
 * 0 or the fault (see cpu_access). */
int uread(struct mm *mm, uint32_t va, uint32_t *val);
int uwrite(struct mm *mm, uint32_t va, uint32_t val);

#endif
